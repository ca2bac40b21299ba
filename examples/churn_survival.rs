//! Churn and retention on the IBM Telco sample (7,043 customers): retention curves by
//! contract type, log-rank test, Cox drivers of churn, a logistic churn model with its
//! SPSS-style report, and the gains/lift table of its scores.
//!
//! Run: `cargo run --release --example churn_survival [output-dir]`
//! (SVGs go to `target/churn_survival/` by default).
//!
//! It ends with the sBG cohort projection (observed vs projected) and DEL/DERL.

use std::collections::BTreeMap;
use std::error::Error;
use std::path::{Path, PathBuf};

use crm_analytics::clv::{Sbg, SbgProjection};
use crm_analytics::survival::{
    CoxPh, Design, KaplanMeier, KaplanMeierFit, LogRank, Logistic, ScoreEvaluation,
    ScoreEvaluationFit,
};
use plotters::prelude::*;

struct Customer {
    senior: f64,
    tenure: f64,
    internet: String,
    contract: String,
    paperless: String,
    payment: String,
    monthly: f64,
    churn: f64,
}

fn load(path: &Path) -> Result<Vec<Customer>, Box<dyn Error>> {
    let text = std::fs::read_to_string(path)?;
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate().skip(1) {
        let f: Vec<&str> = line.trim_end_matches('\r').split(',').collect();
        if f.len() != 21 {
            return Err(format!("line {}: expected 21 fields, found {}", i + 1, f.len()).into());
        }
        rows.push(Customer {
            senior: f[2].parse()?,
            tenure: f[5].parse()?,
            internet: f[8].to_string(),
            contract: f[15].to_string(),
            paperless: f[16].to_string(),
            payment: f[17].to_string(),
            monthly: f[18].parse()?,
            churn: if f[20] == "Yes" { 1.0 } else { 0.0 },
        });
    }
    Ok(rows)
}

fn main() -> Result<(), Box<dyn Error>> {
    let out_dir = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/churn_survival"));
    std::fs::create_dir_all(&out_dir)?;
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/data/ibm_telco_churn.csv");
    let customers = load(&data)?;
    let tenure: Vec<f64> = customers.iter().map(|c| c.tenure).collect();
    let churn: Vec<f64> = customers.iter().map(|c| c.churn).collect();
    let contract: Vec<&str> = customers.iter().map(|c| c.contract.as_str()).collect();
    println!(
        "IBM Telco: {} customers, {} churned ({:.2}%)\n",
        customers.len(),
        churn.iter().sum::<f64>(),
        100.0 * churn.iter().sum::<f64>() / customers.len() as f64
    );

    // 1. Retention curves by contract type.
    let mut curves: BTreeMap<&str, KaplanMeierFit> = BTreeMap::new();
    for kind in ["Month-to-month", "One year", "Two year"] {
        let idx: Vec<usize> = (0..customers.len())
            .filter(|&i| contract[i] == kind)
            .collect();
        let t: Vec<f64> = idx.iter().map(|&i| tenure[i]).collect();
        let e: Vec<f64> = idx.iter().map(|&i| churn[i]).collect();
        let km = KaplanMeier::new().fit(&t, &e)?;
        println!("== Retention, {kind} contracts (n = {}) ==", idx.len());
        println!("median tenure {}", km.median());
        for m in [12.0, 24.0, 48.0, 72.0] {
            let (s, lo, hi) = km.survival_with_ci(m)?;
            println!("  S({m:>2}) = {s:.4}  [{lo:.4}, {hi:.4}]");
        }
        println!(
            "{}",
            km.at_risk_table(&[0.0, 12.0, 24.0, 36.0, 48.0, 60.0, 72.0])?
        );
        curves.insert(kind, km);
    }

    // 2. Do contract types retain differently?
    let test = LogRank::new().test(&tenure, &churn, &contract)?;
    println!("{test}");

    // 3. Cox drivers of the churn hazard (customers with tenure > 0).
    let live: Vec<usize> = (0..customers.len()).filter(|&i| tenure[i] > 0.0).collect();
    let pick =
        |f: &dyn Fn(&Customer) -> f64| live.iter().map(|&i| f(&customers[i])).collect::<Vec<f64>>();
    let pick_s = |f: &dyn Fn(&Customer) -> &str| {
        live.iter()
            .map(|&i| f(&customers[i]))
            .collect::<Vec<&str>>()
    };
    let drivers = Design::new()
        .numeric("MonthlyCharges", &pick(&|c| c.monthly))?
        .numeric("SeniorCitizen", &pick(&|c| c.senior))?
        .categorical(
            "Contract",
            &pick_s(&|c| c.contract.as_str()),
            "Month-to-month",
        )?
        .categorical("InternetService", &pick_s(&|c| c.internet.as_str()), "DSL")?
        .categorical(
            "PaymentMethod",
            &pick_s(&|c| c.payment.as_str()),
            "Mailed check",
        )?
        .categorical("PaperlessBilling", &pick_s(&|c| c.paperless.as_str()), "No")?;
    let cox = CoxPh::new().fit_named(
        &drivers.matrix(),
        &pick(&|c| c.tenure),
        &pick(&|c| c.churn),
        &drivers.name_refs(),
    )?;
    println!("{}", cox.report());

    // 4. Logistic churn model (all customers) and the evaluation of its scores.
    let all_s = |f: &dyn Fn(&Customer) -> &str| customers.iter().map(f).collect::<Vec<&str>>();
    let design = Design::new()
        .numeric("tenure", &tenure)?
        .numeric(
            "MonthlyCharges",
            &customers.iter().map(|c| c.monthly).collect::<Vec<_>>(),
        )?
        .numeric(
            "SeniorCitizen",
            &customers.iter().map(|c| c.senior).collect::<Vec<_>>(),
        )?
        .categorical("Contract", &contract, "Month-to-month")?
        .categorical("InternetService", &all_s(&|c| c.internet.as_str()), "DSL")?
        .categorical(
            "PaymentMethod",
            &all_s(&|c| c.payment.as_str()),
            "Mailed check",
        )?
        .categorical("PaperlessBilling", &all_s(&|c| c.paperless.as_str()), "No")?;
    let logit = Logistic::new().fit_named(&design.matrix(), &churn, &design.name_refs())?;
    println!("{}", logit.report());
    let eval = ScoreEvaluation::new().evaluate(logit.fitted_probabilities().as_slice(), &churn)?;
    println!("{eval}");
    println!(
        "(in-sample evaluation: scores are from the fitted data; hold out data for a fair AUC)\n"
    );

    // 5. Contractual retention with heterogeneity: the shifted-beta-geometric model
    //    (Fader & Hardie 2007) fitted on month-to-month customers' individual tenures
    //    (churned at the end of month `tenure`, or still active), projected beyond the
    //    six years observed, with discounted expected (residual) lifetimes.
    let mtm: Vec<usize> = (0..customers.len())
        .filter(|&i| contract[i] == "Month-to-month" && tenure[i] >= 1.0)
        .collect();
    let months: Vec<u32> = mtm.iter().map(|&i| tenure[i] as u32).collect();
    let left: Vec<bool> = mtm.iter().map(|&i| churn[i] > 0.5).collect();
    let sbg = Sbg::new().fit_individual(&months, &left)?;
    let params = sbg.params();
    println!(
        "== sBG, month-to-month contracts (n = {}) ==\nalpha {:.4}, beta {:.4}, LL {:.2}",
        mtm.len(),
        params.alpha(),
        params.beta(),
        sbg.log_likelihood()
    );
    let km_mtm = &curves["Month-to-month"];
    let observed: Vec<f64> = (0..=72)
        .map(|t| km_mtm.survival_at(t as f64))
        .collect::<Result<_, _>>()?;
    let projection = params.projection(&observed, 96)?;
    for row in projection.rows.iter().filter(|r| r.period % 12 == 0) {
        println!(
            "month {:>3}: observed {:>7} projected {:.4}  retention rate {:>6}",
            row.period,
            row.observed.map_or("-".to_string(), |v| format!("{v:.4}")),
            row.projected,
            row.retention_rate
                .map_or("-".to_string(), |r| format!("{r:.4}"))
        );
    }
    // A 10% yearly discount rate, as a monthly rate.
    let d = 1.1f64.powf(1.0 / 12.0) - 1.0;
    println!(
        "DEL of a new customer: {:.1} months (discounted at 10%/year)",
        params.del(d)?
    );
    for n in [12, 24, 48] {
        println!(
            "DERL of a customer starting month {n}: {:.1} months; retention elasticity {:.3}",
            params.derl(d, n)?,
            params.retention_elasticity(d, n)?
        );
    }
    println!(
        "(retention rises with tenure only through heterogeneity: r_1 = {:.3}, r_24 = {:.3})\n",
        params.retention_rate(1)?,
        params.retention_rate(24)?
    );

    let curve_path = out_dir.join("retention_by_contract.svg");
    plot_curves(&curve_path, &curves)?;
    let sbg_path = out_dir.join("sbg_observed_vs_projected.svg");
    plot_projection(&sbg_path, &projection)?;
    println!("wrote {}", sbg_path.display());
    let gains_path = out_dir.join("gains_chart.svg");
    plot_gains(&gains_path, &eval)?;
    println!(
        "wrote {} and {}",
        curve_path.display(),
        gains_path.display()
    );
    Ok(())
}

fn plot_projection(path: &Path, projection: &SbgProjection) -> Result<(), Box<dyn Error>> {
    let root = SVGBackend::new(path, (860, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let horizon = projection.rows.len() as f64;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Month-to-month retention: observed (Kaplan-Meier) vs sBG projection",
            ("sans-serif", 20),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0f64..horizon, 0f64..1.02f64)?;
    chart
        .configure_mesh()
        .x_desc("tenure (months)")
        .y_desc("share still a customer")
        .draw()?;
    let observed: Vec<(f64, f64)> = projection
        .rows
        .iter()
        .filter_map(|r| r.observed.map(|o| (f64::from(r.period), o)))
        .collect();
    let projected: Vec<(f64, f64)> = projection
        .rows
        .iter()
        .map(|r| (f64::from(r.period), r.projected))
        .collect();
    chart
        .draw_series(LineSeries::new(observed, BLUE.stroke_width(3)))?
        .label("observed")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    chart
        .draw_series(LineSeries::new(projected, RED.stroke_width(2)))?
        .label("sBG projected")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    Ok(())
}

fn plot_curves(path: &Path, curves: &BTreeMap<&str, KaplanMeierFit>) -> Result<(), Box<dyn Error>> {
    let root = SVGBackend::new(path, (860, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            "Kaplan-Meier retention by contract (IBM Telco)",
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0f64..73f64, 0f64..1.02f64)?;
    chart
        .configure_mesh()
        .x_desc("tenure (months)")
        .y_desc("share still a customer")
        .draw()?;
    let colours = [RED, BLUE, GREEN];
    for ((name, km), colour) in curves.iter().zip(colours) {
        // Right-continuous step function.
        let mut pts = vec![(0.0, 1.0)];
        let mut prev = 1.0;
        for (&t, &s) in km.times().iter().zip(km.survival()) {
            pts.push((t, prev));
            pts.push((t, s));
            prev = s;
        }
        chart
            .draw_series(LineSeries::new(pts, colour.stroke_width(2)))?
            .label(*name)
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
    }
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerLeft)
        .draw()?;
    root.present()?;
    Ok(())
}

fn plot_gains(path: &Path, eval: &ScoreEvaluationFit) -> Result<(), Box<dyn Error>> {
    let root = SVGBackend::new(path, (700, 520)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Cumulative gains (AUC {:.3}, Gini {:.3})",
                eval.auc(),
                eval.gini()
            ),
            ("sans-serif", 22),
        )
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(55)
        .build_cartesian_2d(0f64..1f64, 0f64..1f64)?;
    chart
        .configure_mesh()
        .x_desc("share of customers contacted (highest scores first)")
        .y_desc("share of churners captured")
        .draw()?;
    let n = eval.n() as f64;
    let mut pts = vec![(0.0, 0.0)];
    pts.extend(
        eval.gains()
            .iter()
            .map(|g| (g.cumulative_n as f64 / n, g.cumulative_capture)),
    );
    chart
        .draw_series(LineSeries::new(pts, BLUE.stroke_width(2)))?
        .label("logistic model")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            BLACK.mix(0.5),
        ))?
        .label("random")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK));
    chart
        .configure_series_labels()
        .background_style(WHITE.mix(0.8))
        .border_style(BLACK)
        .position(SeriesLabelPosition::LowerRight)
        .draw()?;
    root.present()?;
    Ok(())
}
