//! The pipeline on a customer file you supply, by default the real IBM "Telco Customer
//! Churn" sample (`examples/data/ibm_telco_churn.csv`, 7,043 customers).
//!
//! ```text
//! cargo run --release --example from_csv -- [FILE] [--map field=Column]... [--offer-cost X]
//! ```
//!
//! Fields and their default columns (the IBM names):
//!
//! | field | default column | meaning | required |
//! |---|---|---|---|
//! | `id` | `customerID` | unique customer id | yes |
//! | `tenure` | `tenure` | months on the network (at churn for churners) | yes |
//! | `monthly` | `MonthlyCharges` | current monthly charge | yes |
//! | `total` | `TotalCharges` | total billed since joining (blank allowed at tenure 0) | yes |
//! | `contract` | `Contract` | `Month-to-month`, `One year`, `Two year` | no |
//! | `churn` | `Churn` | `Yes`/`No` (or 1/0, true/false) | no |
//! | `services` | the nine IBM service columns, `;`-separated | a service counts when its cell is not `No...` or empty | no |
//!
//! `--map field=` (empty) drops an optional field. `--offer-cost X` assumes a flat
//! retention offer of cost X per customer (the file has no retention costs; without it
//! there is no budget plan). Malformed files stop with the line, the column and what was
//! expected.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;
use std::error::Error;
use std::fmt;

use crm_analytics::pipeline::{Contract, CustomerBase, Pipeline};
use crm_analytics::value::{Dimension, Indicator, IndicatorSystem};
use crm_analytics::weights::Direction;
use nalgebra::DMatrix;

/// A malformed-file error: where and what was expected.
#[derive(Debug)]
struct CsvError {
    line: usize,
    column: String,
    expected: String,
    found: String,
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column `{}`: expected {}, found `{}`",
            self.line, self.column, self.expected, self.found
        )
    }
}

impl Error for CsvError {}

const SERVICES: &str = "PhoneService;MultipleLines;InternetService;OnlineSecurity;OnlineBackup;DeviceProtection;TechSupport;StreamingTV;StreamingMovies";

struct Table {
    header: Vec<String>,
    rows: Vec<(usize, Vec<String>)>,
}

/// Split one CSV line (double quotes group, `""` escapes a quote).
fn split_line(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn read_table(path: &str) -> Result<Table, Box<dyn Error>> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("reading {path}: {e}"))?;
    let mut lines = text.lines().enumerate();
    let header = split_line(
        lines
            .next()
            .ok_or(format!("{path} is empty"))?
            .1
            .trim_start_matches('\u{feff}'),
    );
    let mut rows = Vec::new();
    for (k, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let cells = split_line(line.trim_end_matches('\r'));
        if cells.len() != header.len() {
            return Err(Box::new(CsvError {
                line: k + 1,
                column: "(row)".into(),
                expected: format!("{} fields as in the header", header.len()),
                found: format!("{} fields", cells.len()),
            }));
        }
        rows.push((k + 1, cells));
    }
    if rows.is_empty() {
        return Err(format!("{path} has a header but no rows").into());
    }
    Ok(Table { header, rows })
}

fn column(t: &Table, field: &str, name: &str) -> Result<usize, Box<dyn Error>> {
    t.header.iter().position(|h| h == name).ok_or_else(|| {
        format!(
            "field `{field}` is mapped to column `{name}`, which is not in the header ({}); use --map {field}=<column>",
            t.header.join(", ")
        )
        .into()
    })
}

fn main() -> Result<(), Box<dyn Error>> {
    // Print errors with their message (not `Debug`) and exit non-zero.
    if let Err(e) = run() {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    Ok(())
}

fn run() -> Result<(), Box<dyn Error>> {
    let mut path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/ibm_telco_churn.csv"
    )
    .to_string();
    let mut map: HashMap<&str, String> = [
        ("id", "customerID"),
        ("tenure", "tenure"),
        ("monthly", "MonthlyCharges"),
        ("total", "TotalCharges"),
        ("contract", "Contract"),
        ("churn", "Churn"),
        ("services", SERVICES),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect();
    let mut offer_cost: Option<f64> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--map" => {
                let m = args.next().ok_or("--map needs field=Column")?;
                let (k, v) = m
                    .split_once('=')
                    .ok_or(format!("--map `{m}`: expected field=Column"))?;
                let key = map
                    .keys()
                    .find(|f| **f == k)
                    .copied()
                    .ok_or(format!("--map: unknown field `{k}` (fields: id, tenure, monthly, total, contract, churn, services)"))?;
                map.insert(key, v.to_string());
            }
            "--offer-cost" => {
                let v = args.next().ok_or("--offer-cost needs an amount")?;
                offer_cost = Some(v.parse().map_err(|e| format!("--offer-cost `{v}`: {e}"))?);
            }
            "-h" | "--help" => {
                println!("usage: from_csv [FILE] [--map field=Column]... [--offer-cost X]");
                return Ok(());
            }
            _ if a.starts_with("--") => return Err(format!("unknown option `{a}`").into()),
            _ => path = a,
        }
    }

    let t = read_table(&path)?;
    let n = t.rows.len();
    let col = |f: &str| -> Result<Option<usize>, Box<dyn Error>> {
        match map.get(f).map(String::as_str) {
            None | Some("") => Ok(None),
            Some(name) => column(&t, f, name).map(Some),
        }
    };
    let (ci, ct, cm, ctot) = (
        col("id")?.ok_or("field `id` is required")?,
        col("tenure")?.ok_or("field `tenure` is required")?,
        col("monthly")?.ok_or("field `monthly` is required")?,
        col("total")?.ok_or("field `total` is required")?,
    );
    let (cc, cch) = (col("contract")?, col("churn")?);
    let services: Vec<usize> = match map.get("services").map(String::as_str) {
        None | Some("") => Vec::new(),
        Some(list) => list
            .split(';')
            .map(|name| column(&t, "services", name))
            .collect::<Result<_, _>>()?,
    };

    let err = |line: usize, c: usize, expected: &str, found: &str| -> Box<dyn Error> {
        Box::new(CsvError {
            line,
            column: t.header[c].clone(),
            expected: expected.into(),
            found: found.into(),
        })
    };
    let num = |line: usize, c: usize, s: &str| -> Result<f64, Box<dyn Error>> {
        s.trim()
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| err(line, c, "a number >= 0", s))
    };

    let (mut ids, mut tenure, mut monthly, mut total) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let (mut contracts, mut churn, mut n_services) = (Vec::new(), Vec::new(), Vec::new());
    let mut blank_total = 0;
    for (line, r) in &t.rows {
        let line = *line;
        ids.push(r[ci].clone());
        let ten: u32 = r[ct]
            .trim()
            .parse()
            .map_err(|_| err(line, ct, "whole months >= 0", &r[ct]))?;
        tenure.push(ten);
        monthly.push(num(line, cm, &r[cm])?);
        // A customer in their first month has not been billed: IBM leaves the total blank.
        if r[ctot].trim().is_empty() && ten == 0 {
            blank_total += 1;
            total.push(0.0);
        } else {
            total.push(num(line, ctot, &r[ctot])?);
        }
        if let Some(c) = cc {
            contracts.push(match r[c].trim() {
                "Month-to-month" | "month-to-month" | "monthly" => Contract::MonthToMonth,
                "One year" | "one year" | "1" => Contract::OneYear,
                "Two year" | "two year" | "2" => Contract::TwoYear,
                other => {
                    return Err(err(
                        line,
                        c,
                        "`Month-to-month`, `One year` or `Two year`",
                        other,
                    ));
                }
            });
        }
        if let Some(c) = cch {
            churn.push(match r[c].trim() {
                "Yes" | "yes" | "1" | "true" => true,
                "No" | "no" | "0" | "false" => false,
                other => return Err(err(line, c, "`Yes` or `No`", other)),
            });
        }
        let k = services
            .iter()
            .filter(|&&c| {
                let v = r[c].trim();
                !(v.is_empty() || v.starts_with("No"))
            })
            .count();
        n_services.push(k as f64);
    }

    // Value indicators: current = monthly charge; potential = charge growth against the
    // historical average, services held, contract commitment.
    let growth: Vec<f64> = (0..n)
        .map(|i| {
            if tenure[i] > 0 && total[i] > 0.0 {
                (monthly[i] * f64::from(tenure[i]) / total[i] - 1.0).clamp(-1.0, 1.0)
            } else {
                0.0
            }
        })
        .collect();
    let mut inds = vec![
        Indicator::new(
            "monthly_charge",
            Dimension::Current,
            Direction::Benefit,
            "current monthly charge",
        ),
        Indicator::new(
            "charge_growth",
            Dimension::Potential,
            Direction::Benefit,
            "monthly·tenure/total − 1",
        ),
    ];
    let mut cols = vec![monthly.clone(), growth];
    if !services.is_empty() {
        inds.push(Indicator::new(
            "services",
            Dimension::Potential,
            Direction::Benefit,
            "services held",
        ));
        cols.push(n_services);
    }
    if cc.is_some() {
        inds.push(Indicator::new(
            "contract_commitment",
            Dimension::Potential,
            Direction::Benefit,
            "months committed",
        ));
        cols.push(contracts.iter().map(|c| c.months()).collect());
    }
    let x = DMatrix::from_fn(n, cols.len(), |i, j| cols[j][i]);

    let mut base = CustomerBase::summary(ids, tenure, monthly, total)?
        .with_indicators(IndicatorSystem::new(inds)?, x)?;
    if cc.is_some() {
        base = base.with_contracts(contracts)?;
    }
    if cch.is_some() {
        base = base.with_churn(churn)?;
    }
    if let Some(c) = offer_cost {
        base = base.with_retention_cost(vec![c; n])?;
    }

    let report = Pipeline::new().run(&base, None)?;
    println!("{path}: {n} customers\n");
    println!("{report}");
    println!("\nWhat this file cannot support");
    println!(
        "  - no monthly spend series: stages come from tenure and the ratio of the current monthly"
    );
    println!(
        "    charge to the average charge TotalCharges / tenure (growth above +5%, decline below -5%),"
    );
    println!("    not from the trend rules; ARPU is the current monthly charge");
    if blank_total > 0 {
        println!(
            "  - {blank_total} customers at tenure 0 have a blank TotalCharges, read as 0 (not yet billed)"
        );
    }
    println!("  - no VIP flags or group accounts: no high-end/group tiers");
    if offer_cost.is_none() {
        println!(
            "  - no retention costs: no cost matching and no budget plan (pass --offer-cost X to assume one)"
        );
    }
    println!("  - no survey: no satisfaction drivers");
    Ok(())
}
