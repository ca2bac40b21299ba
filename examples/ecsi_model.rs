//! The ECSI satisfaction model of a mobile phone provider (Tenenhaus et al. 2005, `mobi`):
//! PLS path model with the path weighting scheme, bootstrap inference, the 0-100
//! satisfaction indices (ECSI/ACSI style) and the importance-performance map of
//! satisfaction.
//!
//! Run: `cargo run --release --example ecsi_model [-- path/to/ipma.svg]`
//! (default plot path: `target/ecsi_ipma.svg`).
#![allow(missing_docs)]

use std::error::Error;

use crm_analytics::pls::{Bootstrap, InnerScheme, Pls, PlsModel};
use nalgebra::DMatrix;
use plotters::prelude::*;

fn read_csv(path: &str) -> Result<(Vec<String>, DMatrix<f64>), Box<dyn Error>> {
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let header: Vec<String> = lines
        .next()
        .ok_or("empty csv")?
        .split(',')
        .map(|s| s.trim().trim_matches('"').to_string())
        .collect();
    let mut cells = Vec::new();
    let mut n = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        for v in line.split(',') {
            cells.push(v.trim().parse::<f64>()?);
        }
        n += 1;
    }
    Ok((
        header.clone(),
        DMatrix::from_row_slice(n, header.len(), &cells),
    ))
}

fn main() -> Result<(), Box<dyn Error>> {
    let svg = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/ecsi_ipma.svg".to_string());
    let csv = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/mobi.csv");
    let (names, data) = read_csv(csv)?;

    // ECSI: image -> expectation -> quality -> value -> satisfaction -> complaints, loyalty.
    let model = PlsModel::new()
        .reflective("Image", &["IMAG1", "IMAG2", "IMAG3", "IMAG4", "IMAG5"])
        .reflective("Expectation", &["CUEX1", "CUEX2", "CUEX3"])
        .reflective(
            "Quality",
            &[
                "PERQ1", "PERQ2", "PERQ3", "PERQ4", "PERQ5", "PERQ6", "PERQ7",
            ],
        )
        .reflective("Value", &["PERV1", "PERV2"])
        .reflective("Satisfaction", &["CUSA1", "CUSA2", "CUSA3"])
        .reflective("Complaints", &["CUSCO"])
        .reflective("Loyalty", &["CUSL1", "CUSL2", "CUSL3"])
        .path("Image", "Expectation")
        .paths(
            &["Image", "Expectation", "Quality", "Value"],
            "Satisfaction",
        )
        .path("Expectation", "Quality")
        .paths(&["Expectation", "Quality"], "Value")
        .path("Satisfaction", "Complaints")
        .paths(&["Image", "Satisfaction", "Complaints"], "Loyalty");

    let fit = Pls::new()
        .scheme(InnerScheme::Path)
        .fit(&model, &data, &names)?;
    println!("{fit}\n");

    let start = std::time::Instant::now();
    let boot = Bootstrap::new()
        .resamples(1000)
        .seed(2005)
        .threads(0)
        .run(&fit)?;
    println!(
        "{boot}(1000 resamples in {:.2} s)\n",
        start.elapsed().as_secs_f64()
    );

    println!("Satisfaction indices (0-100, items on 1..10)");
    for ci in fit.construct_indices(1.0, 10.0)? {
        println!("  {:<14} {:>6.2}", ci.construct, ci.index);
    }
    println!();

    let map = fit.ipma("Satisfaction", 1.0, 10.0)?;
    println!("{map}\n");
    println!("{}", fit.ipma("Loyalty", 1.0, 10.0)?);

    plot_ipma(&map, &svg)?;
    println!("\nIPMA plot written to {svg}");
    Ok(())
}

fn plot_ipma(map: &crm_analytics::pls::Ipma, path: &str) -> Result<(), Box<dyn Error>> {
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let root = SVGBackend::new(path, (720, 540)).into_drawing_area();
    root.fill(&WHITE)?;
    let imax = map.rows.iter().map(|r| r.importance).fold(0.0f64, f64::max) * 1.2;
    let (plo, phi) = map.rows.iter().fold((100.0f64, 0.0f64), |(lo, hi), r| {
        (lo.min(r.performance), hi.max(r.performance))
    });
    let (ylo, yhi) = ((plo - 10.0).max(0.0), (phi + 10.0).min(100.0));
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Importance-performance map: {}", map.target),
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..imax.max(0.1), ylo..yhi)?;
    chart
        .configure_mesh()
        .x_desc("importance (unstandardised total effect)")
        .y_desc("performance (0-100)")
        .draw()?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(map.mean_importance, ylo), (map.mean_importance, yhi)],
        BLACK.mix(0.4),
    )))?;
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(0.0, map.mean_performance), (imax, map.mean_performance)],
        BLACK.mix(0.4),
    )))?;
    for r in &map.rows {
        chart.draw_series(std::iter::once(Circle::new(
            (r.importance, r.performance),
            5,
            BLUE.filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            r.construct.clone(),
            (r.importance, r.performance + 1.2),
            ("sans-serif", 14),
        )))?;
    }
    root.present()?;
    Ok(())
}
