//! Shared bench helpers: anchor data from `.npy` dumps, or a seeded stand-in.
//!
//! `scripts/bench_side_by_side.sh` runs the Python anchors with `--dump-data DIR` and then
//! `cargo bench` with `CRM_ANCHOR_DATA=DIR`, so both sides time exactly the same numbers.
//! Without that variable, benches draw data of the same shape and distribution from a
//! seeded generator, so `cargo bench` also works on a clean checkout.
#![allow(dead_code)]

use std::path::PathBuf;

/// An array read from an `.npy` file: shape and values as f64.
pub struct Npy {
    pub shape: Vec<usize>,
    pub data: Vec<f64>,
}

/// The anchor dump `DIR/<workload>.<name>.npy`, if `CRM_ANCHOR_DATA` is set and the file exists.
pub fn anchor_array(workload: &str, name: &str) -> Option<Npy> {
    let dir = std::env::var_os("CRM_ANCHOR_DATA")?;
    let path = PathBuf::from(dir).join(format!("{workload}.{name}.npy"));
    let bytes = std::fs::read(&path).ok()?;
    parse_npy(&bytes)
}

/// Parse a little-endian, C-order `.npy` of dtype f8, i8 (int64), i1 (int8) or i4.
pub fn parse_npy(bytes: &[u8]) -> Option<Npy> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return None;
    }
    let major = bytes[6];
    let (hlen, start) = if major == 1 {
        (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10)
    } else {
        (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        )
    };
    let header = std::str::from_utf8(&bytes[start..start + hlen]).ok()?;
    let descr = header
        .split("'descr':")
        .nth(1)?
        .split('\'')
        .nth(1)?
        .to_string();
    let fortran = header.contains("'fortran_order': True");
    let shape_txt = header
        .split("'shape':")
        .nth(1)?
        .split('(')
        .nth(1)?
        .split(')')
        .next()?;
    let shape: Vec<usize> = shape_txt
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().ok())
        .collect::<Option<_>>()?;
    let body = &bytes[start + hlen..];
    let data: Vec<f64> = match descr.as_str() {
        "<f8" => body
            .chunks_exact(8)
            .map(|c| f64::from_le_bytes(c.try_into().unwrap()))
            .collect(),
        "<i8" => body
            .chunks_exact(8)
            .map(|c| i64::from_le_bytes(c.try_into().unwrap()) as f64)
            .collect(),
        "<i4" => body
            .chunks_exact(4)
            .map(|c| i32::from_le_bytes(c.try_into().unwrap()) as f64)
            .collect(),
        "|i1" => body.iter().map(|&b| b as i8 as f64).collect(),
        _ => return None,
    };
    if fortran {
        return None;
    }
    Some(Npy { shape, data })
}

/// A small, seeded, dependency-free generator (SplitMix64) for stand-in data.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform on (0, 1).
    pub fn uniform(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    /// Standard normal (Box-Muller).
    pub fn normal(&mut self) -> f64 {
        let u1 = self.uniform();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }
}
