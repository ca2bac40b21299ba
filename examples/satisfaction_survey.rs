//! The satisfaction study on the mobi ECSI survey (250 customers of a mobile phone
//! provider, 24 items on 1-10; Tenenhaus et al. 2005, see `examples/data/README.md`):
//! reliability of the scales, regression of overall satisfaction on Quality, Value,
//! Expectation and Image, driver ranking, importance-performance analysis,
//! recommendations, and an SVG IPA chart.
//!
//! ```text
//! cargo run --release --example satisfaction_survey [-- path/to/ipa.svg]
//! ```
//! The chart goes to `target/satisfaction_ipa.svg` unless a path is given.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::float_cmp)]

use crm_analytics::satisfaction::{ImportanceSource, Ipa, IpaResult, Quadrant, SatisfactionModel};
use crm_analytics::survey::{
    Construct, ConvergentValidity, Htmt, ItemMatrix, LikertScale, MissingPolicy, Reliability,
};
use nalgebra::{DMatrix, DVector};
use plotters::prelude::*;

fn read_mobi() -> Result<ItemMatrix, Box<dyn std::error::Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/mobi.csv");
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split(',').collect();
    let mut values = Vec::new();
    let mut n = 0;
    for line in lines.filter(|l| !l.trim().is_empty()) {
        for v in line.split(',') {
            values.push(v.trim().parse::<f64>()?);
        }
        n += 1;
    }
    let data = DMatrix::from_row_slice(n, header.len(), &values);
    Ok(ItemMatrix::new(
        data,
        &header,
        LikertScale::new(1.0, 10.0)?,
    )?)
}

fn block(name: &str, prefix: &str, k: usize) -> crm_analytics::Result<Construct> {
    let items: Vec<String> = (1..=k).map(|i| format!("{prefix}{i}")).collect();
    Construct::new(name, &items)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let svg = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/target/satisfaction_ipa.svg").to_string()
    });
    let items = read_mobi()?;
    let constructs = [
        block("Image", "IMAG", 5)?,
        block("Expectation", "CUEX", 3)?,
        block("Quality", "PERQ", 7)?,
        block("Value", "PERV", 2)?,
        block("Satisfaction", "CUSA", 3)?,
    ];

    // 1. Reliability of every scale.
    let reliability = Reliability::new().fit_constructs(&items, &constructs)?;
    for r in &reliability {
        let weak = r.weak_items(0.3);
        if !weak.is_empty() {
            println!(
                "note: `{}` has items with corrected item-total r < 0.3: {weak:?}",
                r.name
            );
        }
    }
    let quality = &reliability[2];
    println!("{quality}");
    let htmt = Htmt::compute(&items, &constructs, MissingPolicy::Listwise)?;
    println!("{htmt}");
    for (a, b, v) in htmt.violations(0.9) {
        println!("note: HTMT({a}, {b}) = {v:.3} > 0.90: discriminant validity in doubt");
    }
    // rho_C and AVE from the first-principal-component loadings of each block.
    for c in &constructs {
        let sub = items.select(c.items())?;
        let cv = ConvergentValidity::from_first_component(c.name(), &sub, MissingPolicy::Listwise)?;
        println!("{cv}");
    }

    // 2. Regression of Satisfaction on the four drivers, ranked by LMG, beta and p.
    let fit = SatisfactionModel::new()
        .outcome("Satisfaction")
        .drivers(&["Quality", "Value", "Expectation", "Image"])
        .fit(&items, &constructs)?;

    // 3. IPA of the drivers (importance = LMG share of R²) -> recommendations.
    let driver_ipa = Ipa::new()
        .importance(ImportanceSource::RelativeImportance)
        .drivers(&fit)?;
    let report = fit
        .report()
        .with_reliability(reliability)
        .with_ipa(driver_ipa);
    println!("\n{report}");

    // 4. Item-level IPA (importance = r with the Satisfaction score) for the chart.
    let driver_items: Vec<String> = constructs[..4]
        .iter()
        .flat_map(|c| c.items().to_vec())
        .collect();
    let attrs = items.select(&driver_items)?;
    let cusa = items.select(constructs[4].items())?;
    let overall = DVector::from_iterator(cusa.nrows(), cusa.data().row_iter().map(|r| r.mean()));
    let item_ipa = Ipa::new().derived(&attrs, &overall)?;
    println!("{item_ipa}");
    draw(&item_ipa, &svg)?;
    println!("IPA chart written to {svg}");
    Ok(())
}

fn draw(ipa: &IpaResult, path: &str) -> Result<(), Box<dyn std::error::Error>> {
    if let Some(dir) = std::path::Path::new(path).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let root = SVGBackend::new(path, (900, 700)).into_drawing_area();
    root.fill(&WHITE)?;
    let (imin, imax) = ipa.points.iter().fold((f64::MAX, f64::MIN), |(a, b), p| {
        (a.min(p.importance), b.max(p.importance))
    });
    let (pmin, pmax) = ipa.points.iter().fold((f64::MAX, f64::MIN), |(a, b), p| {
        (a.min(p.performance), b.max(p.performance))
    });
    let (pad_i, pad_p) = (0.1 * (imax - imin), 0.1 * (pmax - pmin));
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "mobi: importance-performance of driver items",
            ("sans-serif", 24),
        )
        .margin(20)
        .x_label_area_size(45)
        .y_label_area_size(60)
        .build_cartesian_2d(
            (pmin - pad_p)..(pmax + pad_p),
            (imin - pad_i)..(imax + pad_i),
        )?;
    chart
        .configure_mesh()
        .x_desc("performance (mean rating, 1-10)")
        .y_desc("importance (r with satisfaction)")
        .disable_mesh()
        .draw()?;
    let (ci, cp) = (ipa.crosshair_importance, ipa.crosshair_performance);
    let grey = RGBColor(120, 120, 120);
    chart.draw_series(LineSeries::new(
        vec![(cp, imin - pad_i), (cp, imax + pad_i)],
        grey.stroke_width(1),
    ))?;
    chart.draw_series(LineSeries::new(
        vec![(pmin - pad_p, ci), (pmax + pad_p, ci)],
        grey.stroke_width(1),
    ))?;
    let corner = [
        (Quadrant::ConcentrateHere, pmin - pad_p, imax + pad_i),
        (
            Quadrant::KeepUpTheGoodWork,
            cp + 0.02 * (pmax - pmin),
            imax + pad_i,
        ),
        (Quadrant::LowPriority, pmin - pad_p, ci),
        (Quadrant::PossibleOverkill, cp + 0.02 * (pmax - pmin), ci),
    ];
    for (q, x, y) in corner {
        chart.draw_series(std::iter::once(Text::new(
            q.to_string(),
            (x, y),
            ("sans-serif", 15).into_font().color(&grey),
        )))?;
    }
    for p in &ipa.points {
        let color = match p.quadrant {
            Quadrant::ConcentrateHere => RED,
            Quadrant::KeepUpTheGoodWork => GREEN,
            Quadrant::LowPriority => BLUE,
            Quadrant::PossibleOverkill => MAGENTA,
        };
        chart.draw_series(std::iter::once(Circle::new(
            (p.performance, p.importance),
            5,
            color.filled(),
        )))?;
        chart.draw_series(std::iter::once(Text::new(
            p.name.clone(),
            (p.performance, p.importance),
            ("sans-serif", 13),
        )))?;
    }
    root.present()?;
    Ok(())
}
