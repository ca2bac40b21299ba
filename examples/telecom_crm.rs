//! The end-to-end CRM analysis of a telecom operator's base, on the built-in **synthetic**
//! base (see `crm_analytics::pipeline::SyntheticBase` for how it is drawn) plus the real
//! mobi satisfaction survey (Tenenhaus et al. 2005, `examples/data/mobi.csv`).
//!
//! ```text
//! cargo run --release --example telecom_crm -- [--n 100000] [--seed 2024] [--out target/telecom_crm]
//! ```
//!
//! Prints the report and writes six SVG plots into the output folder: Lorenz curve, value
//! matrix, stage mix, retention curves by segment, IPA grid, cost-vs-value concentration.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::cast_precision_loss)]

use std::error::Error;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::Instant;

use crm_analytics::lifecycle::LifecycleStage;
use crm_analytics::pipeline::{CrmReport, Pipeline, SurveyData, SyntheticBase};
use crm_analytics::strategy::ValueSegment;
use crm_analytics::survey::{ItemMatrix, LikertScale};
use nalgebra::DMatrix;
use plotters::prelude::*;

static START: OnceLock<Instant> = OnceLock::new();

fn progress(step: &str) {
    let t = START.get_or_init(Instant::now).elapsed().as_secs_f64();
    eprintln!("[{t:6.2} s] {step}");
}

struct Args {
    n: usize,
    seed: u64,
    out: PathBuf,
}

fn args() -> Result<Args, Box<dyn Error>> {
    let mut a = Args {
        n: 100_000,
        seed: 2024,
        out: PathBuf::from("target/telecom_crm"),
    };
    let mut it = std::env::args().skip(1);
    while let Some(k) = it.next() {
        let mut val = || it.next().ok_or_else(|| format!("{k} needs a value"));
        match k.as_str() {
            "--n" => a.n = val()?.parse()?,
            "--seed" => a.seed = val()?.parse()?,
            "--out" => a.out = PathBuf::from(val()?),
            "-h" | "--help" => {
                println!("usage: telecom_crm [--n customers] [--seed s] [--out folder]");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument `{other}` (try --help)").into()),
        }
    }
    Ok(a)
}

fn read_mobi() -> Result<SurveyData, Box<dyn Error>> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/mobi.csv");
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let names: Vec<&str> = lines
        .next()
        .ok_or("mobi.csv is empty")?
        .split(',')
        .collect();
    let mut cells = Vec::new();
    let mut rows = 0;
    for (k, line) in lines.enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        for (j, c) in line.split(',').enumerate() {
            cells.push(c.trim().parse::<f64>().map_err(|e| {
                format!(
                    "mobi.csv line {}, column {}: {e}",
                    k + 2,
                    names.get(j).unwrap_or(&"?")
                )
            })?);
        }
        rows += 1;
    }
    let m = DMatrix::from_row_slice(rows, names.len(), &cells);
    Ok(SurveyData::ecsi(ItemMatrix::new(
        m,
        &names,
        LikertScale::new(1.0, 10.0)?,
    )?)?)
}

fn main() -> Result<(), Box<dyn Error>> {
    let a = args()?;
    START.get_or_init(Instant::now);
    progress(&format!(
        "drawing the synthetic base ({} customers, seed {})",
        a.n, a.seed
    ));
    let base = SyntheticBase::new(a.n).seed(a.seed).generate()?;
    let survey = read_mobi()?;
    let report = Pipeline::new()
        .on_step(progress)
        .run(&base, Some(&survey))?;
    println!("{report}");

    std::fs::create_dir_all(&a.out)?;
    let files = [
        lorenz(&report, &a.out.join("lorenz.svg"))?,
        value_matrix(&report, &a.out.join("value_matrix.svg"))?,
        stage_mix(&report, &a.out.join("stage_mix.svg"))?,
        retention_curves(&report, &a.out.join("retention_by_segment.svg"))?,
        ipa(&report, &a.out.join("ipa.svg"))?,
        cost_value(&report, &a.out.join("cost_vs_value.svg"))?,
    ];
    println!("\nPlots written to {}:", a.out.display());
    for f in files.iter().flatten() {
        println!("  {}", f.display());
    }
    progress("finished");
    Ok(())
}

type Plot = Result<Option<PathBuf>, Box<dyn Error>>;

const SEG_COLORS: [RGBColor; 4] = [
    RGBColor(31, 119, 180),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(127, 127, 127),
];

fn lorenz(r: &CrmReport, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (640, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let c = &r.concentration;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Lorenz curve of ARPU (Gini {:.3}; 80% from top {:.1}%)",
                c.gini,
                100.0 * c.pareto_point
            ),
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("share of customers (poorest first)")
        .y_desc("share of revenue")
        .draw()?;
    chart.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], BLACK.mix(0.4)))?;
    chart
        .draw_series(LineSeries::new(
            c.lorenz.iter().map(|p| (p[0], p[1])),
            BLUE.stroke_width(2),
        ))?
        .label("Lorenz curve");
    let p = 1.0 - c.pareto_point;
    chart.draw_series(LineSeries::new(
        [(p, 0.0), (p, 0.2), (0.0, 0.2)],
        RED.mix(0.7),
    ))?;
    root.present()?;
    Ok(Some(path.to_path_buf()))
}

fn value_matrix(r: &CrmReport, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (640, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let cu = &r.customers;
    let n = cu.current.len();
    // At most 5,000 points, every k-th customer, so the SVG stays small.
    let step = n.div_ceil(5000).max(1);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!("Value matrix ({} of {n} customers shown)", n.div_ceil(step)),
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("current value index")
        .y_desc("potential value index")
        .draw()?;
    for (k, seg) in ValueSegment::ALL.iter().enumerate() {
        chart
            .draw_series(
                (0..n)
                    .step_by(step)
                    .filter(|&i| cu.segments[i] == *seg)
                    .map(|i| {
                        Circle::new(
                            (cu.current[i], cu.potential[i]),
                            2,
                            SEG_COLORS[k].mix(0.6).filled(),
                        )
                    }),
            )?
            .label(seg.to_string())
            .legend(move |(x, y)| Circle::new((x, y), 4, SEG_COLORS[k].filled()));
    }
    let (tc, tp) = (r.value.current_threshold, r.value.potential_threshold);
    chart.draw_series(LineSeries::new([(tc, 0.0), (tc, 1.0)], BLACK))?;
    chart.draw_series(LineSeries::new([(0.0, tp), (1.0, tp)], BLACK))?;
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(Some(path.to_path_buf()))
}

fn stage_mix(r: &CrmReport, path: &Path) -> Plot {
    let root = SVGBackend::new(path, (640, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let l = &r.lifecycle;
    let top = l.stage_shares.iter().fold(0.0f64, |a, &b| a.max(b)) * 1.15;
    let mut chart = ChartBuilder::on(&root)
        .caption("Life-cycle stage mix", ("sans-serif", 18))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d((0..3usize).into_segmented(), 0.0..top)?;
    chart
        .configure_mesh()
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(k) | SegmentValue::Exact(k) => LifecycleStage::ALL
                .get(*k)
                .map_or(String::new(), ToString::to_string),
            SegmentValue::Last => String::new(),
        })
        .y_desc("share of customers")
        .draw()?;
    chart.draw_series(
        Histogram::vertical(&chart)
            .style(BLUE.mix(0.6).filled())
            .margin(20)
            .data((0..4).map(|k| (k, l.stage_shares[k]))),
    )?;
    root.present()?;
    Ok(Some(path.to_path_buf()))
}

fn retention_curves(r: &CrmReport, path: &Path) -> Plot {
    let Some(s) = &r.survival else {
        return Ok(None);
    };
    let root = SVGBackend::new(path, (640, 480)).into_drawing_area();
    root.fill(&WHITE)?;
    let tmax = s.overall.curve.last().map_or(1.0, |p| p[0]).max(1.0);
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Retention by value segment (Kaplan-Meier)",
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..tmax, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("tenure (months)")
        .y_desc("S(t)")
        .draw()?;
    for row in &s.by_segment {
        let k = ValueSegment::ALL
            .iter()
            .position(|x| Some(*x) == row.segment)
            .unwrap_or(3);
        // Step function: hold S until the next event time.
        let mut pts = vec![(0.0, 1.0)];
        let mut last = 1.0;
        for p in &row.curve {
            pts.push((p[0], last));
            pts.push((p[0], p[1]));
            last = p[1];
        }
        pts.push((tmax, last));
        chart
            .draw_series(LineSeries::new(pts, SEG_COLORS[k].stroke_width(2)))?
            .label(row.segment.map_or("all".into(), |x| x.to_string()))
            .legend(move |(x, y)| {
                PathElement::new([(x, y), (x + 15, y)], SEG_COLORS[k].stroke_width(2))
            });
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::LowerLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(Some(path.to_path_buf()))
}

fn ipa(r: &CrmReport, path: &Path) -> Plot {
    let Some(s) = &r.satisfaction else {
        return Ok(None);
    };
    let g = &s.ipa;
    let imax = g.points.iter().map(|p| p.importance).fold(0.0f64, f64::max) * 1.25;
    let (plo, phi) = g.points.iter().fold((f64::MAX, f64::MIN), |(a, b), p| {
        (a.min(p.performance), b.max(p.performance))
    });
    let pad = ((phi - plo) * 0.3).max(0.2);
    let root = SVGBackend::new(path, (640, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Importance-performance of satisfaction drivers (mobi)",
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..imax, (plo - pad)..(phi + pad))?;
    chart
        .configure_mesh()
        .x_desc("importance (LMG share of R²)")
        .y_desc("performance (mean score, 1-10)")
        .draw()?;
    chart.draw_series(LineSeries::new(
        [
            (g.crosshair_importance, plo - pad),
            (g.crosshair_importance, phi + pad),
        ],
        BLACK.mix(0.5),
    ))?;
    chart.draw_series(LineSeries::new(
        [
            (0.0, g.crosshair_performance),
            (imax, g.crosshair_performance),
        ],
        BLACK.mix(0.5),
    ))?;
    chart.draw_series(g.points.iter().map(|p| {
        EmptyElement::at((p.importance, p.performance))
            + Circle::new((0, 0), 5, RED.filled())
            + Text::new(
                format!("{} ({:?})", p.name, p.quadrant),
                (8, -8),
                ("sans-serif", 13),
            )
    }))?;
    root.present()?;
    Ok(Some(path.to_path_buf()))
}

fn cost_value(r: &CrmReport, path: &Path) -> Plot {
    let Some(m) = r.retention.as_ref().and_then(|x| x.matching.as_ref()) else {
        return Ok(None);
    };
    let root = SVGBackend::new(path, (640, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Retention cost vs value (value Gini {:.3}, cost concentration {:.3})",
                m.value_gini, m.concentration_index
            ),
            ("sans-serif", 18),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..1.0, 0.0..1.0)?;
    chart
        .configure_mesh()
        .x_desc("share of customers (lowest value first)")
        .y_desc("cumulative share")
        .draw()?;
    chart.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], BLACK.mix(0.4)))?;
    chart
        .draw_series(LineSeries::new(
            m.curve.iter().map(|p| (p.population_share, p.value_share)),
            BLUE.stroke_width(2),
        ))?
        .label("value (ARPU)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], BLUE.stroke_width(2)));
    chart
        .draw_series(LineSeries::new(
            m.curve.iter().map(|p| (p.population_share, p.cost_share)),
            RED.stroke_width(2),
        ))?
        .label("retention cost")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 15, y)], RED.stroke_width(2)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(Some(path.to_path_buf()))
}
