//! Bootstrap inference for a PLS fit: standard errors, t values and percentile intervals.

use std::fmt;

use nalgebra::DMatrix;
use serde::{Deserialize, Serialize};

use super::algorithm;
use super::fit::PlsFit;
use super::rng::SplitMix64;
use crate::{Error, Result};

/// How the sign indeterminacy of construct scores is handled in the resamples.
///
/// A construct's score is defined up to sign; a resample can come out mirrored, which
/// inflates standard errors. Hair et al. (2017) describe the three options.
///
/// # Formula
///
/// ```text
/// None:           keep every resample's estimates as they are (SmartPLS and seminr default)
/// Individual:     θ*_b ← |θ*_b| · sign(θ̂)  for every estimate separately
/// ConstructLevel: flip construct j in resample b when |Σ(λ̂_j + λ*_jb)| < |Σ(λ̂_j - λ*_jb)|
///                 (loadings compared; Tenenhaus et al. 2005): its weights and loadings change
///                 sign, and each path or total effect i -> j by s_i·s_j
/// ```
///
/// Whatever the option, every resample estimate starts from unit weights and is oriented by
/// the same rule as the original fit (most items correlating positively).
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{Bootstrap, SignChange};
/// let b = Bootstrap::new().sign_change(SignChange::Individual);
/// assert_eq!(b.get_sign_change().to_string(), "individual");
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub enum SignChange {
    /// No correction.
    #[default]
    None,
    /// Individual sign change.
    Individual,
    /// Construct-level sign change.
    ConstructLevel,
}

impl fmt::Display for SignChange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SignChange::None => "no",
            SignChange::Individual => "individual",
            SignChange::ConstructLevel => "construct-level",
        })
    }
}

/// Options of a bootstrap of a [`PlsFit`]. Data enter at [`Bootstrap::run`].
///
/// | Name | Default | Meaning | Valid range |
/// |---|---|---|---|
/// | `resamples` | `1000` | number of bootstrap resamples | ≥ 2 |
/// | `seed` | `0` | seed of the resampling generator (SplitMix64) | any `u64` |
/// | `confidence_level` | `0.95` | level of the percentile intervals | (0, 1) |
/// | `sign_change` | [`SignChange::None`] | sign-indeterminacy handling | |
/// | `threads` | `1` | worker threads (`0` = all available) | ≥ 0 |
///
/// Resample `b` draws its rows from its own generator seeded by `(seed, b)`, so results are
/// identical for any number of threads. The resamples use the original fit's options;
/// a resample whose estimation fails (for example an item with zero variance in the
/// resample) or does not converge is discarded and counted in
/// [`BootstrapFit::failed`].
///
/// # Example
///
/// ```
/// use crm_analytics::pls::{Bootstrap, Pls, PlsModel};
/// use nalgebra::DMatrix;
///
/// let data = DMatrix::from_row_slice(8, 4, &[
///     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,  4.0, 3.0, 5.0, 4.0,
///     5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,  2.0, 3.0, 2.0, 3.0,  5.0, 6.0, 5.0, 5.0,
/// ]);
/// let model = PlsModel::new()
///     .reflective("Quality", &["q1", "q2"])
///     .reflective("Satisfaction", &["s1", "s2"])
///     .path("Quality", "Satisfaction");
/// let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// let boot = Bootstrap::new().resamples(200).seed(7).run(&fit)?;
/// let path = boot.path("Quality", "Satisfaction");
/// assert!(path.is_some_and(|p| p.std_error.unwrap_or(0.0) > 0.0));
/// assert!(path.is_some_and(|p| p.ci_lower <= p.original && p.original <= p.ci_upper));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Bootstrap {
    resamples: usize,
    seed: u64,
    confidence_level: f64,
    sign_change: SignChange,
    threads: usize,
}

impl Default for Bootstrap {
    fn default() -> Self {
        Bootstrap {
            resamples: 1000,
            seed: 0,
            confidence_level: 0.95,
            sign_change: SignChange::None,
            threads: 1,
        }
    }
}

impl Bootstrap {
    /// Default options: 1000 resamples, seed 0, 95% intervals, no sign change, one thread.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new(), Bootstrap::default());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn new() -> Bootstrap {
        Bootstrap::default()
    }

    /// Number of resamples.
    ///
    /// # Errors
    /// [`Bootstrap::run`] rejects fewer than 2.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().resamples(500).get_resamples(), 500);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn resamples(mut self, resamples: usize) -> Bootstrap {
        self.resamples = resamples;
        self
    }

    /// Seed of the resampling generator.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().seed(42).get_seed(), 42);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Bootstrap {
        self.seed = seed;
        self
    }

    /// Level of the percentile intervals.
    ///
    /// # Errors
    /// [`Bootstrap::run`] rejects a level outside (0, 1).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().confidence_level(0.9).get_confidence_level(), 0.9);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn confidence_level(mut self, level: f64) -> Bootstrap {
        self.confidence_level = level;
        self
    }

    /// Sign-change handling.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// let b = Bootstrap::new().sign_change(SignChange::ConstructLevel);
    /// assert_eq!(b.get_sign_change(), SignChange::ConstructLevel);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn sign_change(mut self, sign_change: SignChange) -> Bootstrap {
        self.sign_change = sign_change;
        self
    }

    /// Worker threads (`0` = `std::thread::available_parallelism`).
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().threads(4).get_threads(), 4);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn threads(mut self, threads: usize) -> Bootstrap {
        self.threads = threads;
        self
    }

    /// Number of resamples.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().get_resamples(), 1000);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_resamples(&self) -> usize {
        self.resamples
    }

    /// Seed.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().get_seed(), 0);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_seed(&self) -> u64 {
        self.seed
    }

    /// Interval level.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().get_confidence_level(), 0.95);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_confidence_level(&self) -> f64 {
        self.confidence_level
    }

    /// Sign-change handling.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().get_sign_change(), SignChange::None);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_sign_change(&self) -> SignChange {
        self.sign_change
    }

    /// Worker threads.
    ///
    /// # Example
    ///
    /// ```
    /// use crm_analytics::pls::{Bootstrap, SignChange};
    /// assert_eq!(Bootstrap::new().get_threads(), 1);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn get_threads(&self) -> usize {
        self.threads
    }

    /// Bootstrap `fit`: resample its respondents (after its missing-value policy) with
    /// replacement and re-estimate with its options.
    ///
    /// # Errors
    /// - [`Error::InvalidOption`] for fewer than 2 resamples or a level outside (0, 1);
    /// - [`Error::TooFewObservations`] if fewer than 2 resamples could be estimated.
    pub fn run(&self, fit: &PlsFit) -> Result<BootstrapFit> {
        if self.resamples < 2 {
            return Err(Error::option("resamples", self.resamples, ">= 2"));
        }
        crate::validate::open_unit("confidence_level", self.confidence_level)?;
        let layout = Layout::new(fit);
        let threads = if self.threads == 0 {
            std::thread::available_parallelism().map_or(1, |t| t.get())
        } else {
            self.threads
        }
        .clamp(1, self.resamples);
        let original = layout.estimates(fit);
        let b_total = self.resamples;
        let chunk = b_total.div_ceil(threads);
        let mut draws: Vec<Option<Vec<f64>>> = Vec::with_capacity(b_total);
        if threads == 1 {
            for b in 0..b_total {
                draws.push(self.one(fit, &layout, &original, b));
            }
        } else {
            let parts: Vec<Vec<Option<Vec<f64>>>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..threads)
                    .map(|t| {
                        let (layout, original) = (&layout, &original);
                        scope.spawn(move || {
                            let lo = t * chunk;
                            let hi = ((t + 1) * chunk).min(b_total);
                            (lo..hi)
                                .map(|b| self.one(fit, layout, original, b))
                                .collect::<Vec<_>>()
                        })
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_default())
                    .collect()
            });
            for part in parts {
                draws.extend(part);
            }
        }
        let ok: Vec<&Vec<f64>> = draws.iter().flatten().collect();
        if ok.len() < 2 {
            return Err(Error::TooFewObservations {
                what: "bootstrap (resamples that could be estimated)".into(),
                needed: 2,
                got: ok.len(),
            });
        }
        let alpha = 1.0 - self.confidence_level;
        let stats: Vec<Estimate> = (0..original.len())
            .map(|e| {
                let mut v: Vec<f64> = ok.iter().map(|d| d[e]).collect();
                summarise(layout.labels[e].clone(), original[e], &mut v, alpha)
            })
            .collect();
        let (np, ni) = (layout.paths.len(), fit.items().len());
        let mut it = stats.into_iter();
        let paths = it.by_ref().take(np).collect();
        let loadings = it.by_ref().take(ni).collect();
        let weights = it.by_ref().take(ni).collect();
        let total_effects = it.collect();
        Ok(BootstrapFit {
            options: *self,
            requested: b_total,
            successful: ok.len(),
            failed: b_total - ok.len(),
            paths,
            loadings,
            weights,
            total_effects,
        })
    }

    /// Resample `b`: its estimates in layout order, or `None` if it failed.
    fn one(&self, fit: &PlsFit, layout: &Layout, original: &[f64], b: usize) -> Option<Vec<f64>> {
        let raw = fit.raw();
        let (n, p) = raw.shape();
        let mut g = SplitMix64::stream(self.seed, b as u64);
        let rows: Vec<usize> = (0..n).map(|_| g.below(n)).collect();
        let sample = DMatrix::from_fn(n, p, |r, c| raw[(rows[r], c)]);
        let spec = fit.spec();
        let m = algorithm::moments(&sample, fit.options().get_scaling(), fit.items()).ok()?;
        let outer = algorithm::iterate(spec, &m.s, fit.options()).ok()?;
        if !outer.converged {
            return None;
        }
        let direct = algorithm::direct_effects(spec, &outer.c).ok()?;
        let total = algorithm::total_effects(&direct);
        let loadings = algorithm::own_loadings(spec, &m.s, &outer.sw);
        let k = spec.k();
        let mut sign = vec![1.0; k];
        if self.sign_change == SignChange::ConstructLevel {
            let orig_l = fit.loadings();
            for (j, s) in sign.iter_mut().enumerate() {
                let (mut plus, mut minus) = (0.0, 0.0);
                for a in spec.block(j) {
                    plus += orig_l[a] + loadings[a];
                    minus += orig_l[a] - loadings[a];
                }
                if plus.abs() < minus.abs() {
                    *s = -1.0;
                }
            }
        }
        let mut v = Vec::with_capacity(original.len());
        for &(i, j) in &layout.paths {
            v.push(direct[(i, j)] * sign[i] * sign[j]);
        }
        for a in 0..spec.p() {
            v.push(loadings[a] * sign[spec.owner(a)]);
        }
        for a in 0..spec.p() {
            v.push(outer.w[a] * sign[spec.owner(a)]);
        }
        for &(i, j) in &layout.totals {
            v.push(total[(i, j)] * sign[i] * sign[j]);
        }
        if self.sign_change == SignChange::Individual {
            for (x, o) in v.iter_mut().zip(original) {
                if *o < 0.0 {
                    *x = -x.abs();
                } else if *o > 0.0 {
                    *x = x.abs();
                }
            }
        }
        v.iter().all(|x| x.is_finite()).then_some(v)
    }
}

/// Which estimates are bootstrapped, in order: paths, loadings, weights, total effects.
struct Layout {
    paths: Vec<(usize, usize)>,
    totals: Vec<(usize, usize)>,
    labels: Vec<String>,
}

impl Layout {
    fn new(fit: &PlsFit) -> Layout {
        let spec = fit.spec();
        let k = spec.k();
        let name = |i: usize| spec.constructs[i].as_str();
        let paths = spec.paths.clone();
        // i reaches j: transitive closure by repeated expansion over the DAG.
        let mut reach = vec![vec![false; k]; k];
        for &j in spec.topo.iter().rev() {
            for &s in &spec.succ[j] {
                reach[j][s] = true;
                let below = reach[s].clone();
                for (r, b) in reach[j].iter_mut().zip(below) {
                    *r |= b;
                }
            }
        }
        let mut totals = Vec::new();
        for &i in &spec.topo {
            for &j in &spec.topo {
                if reach[i][j] {
                    totals.push((i, j));
                }
            }
        }
        let mut labels: Vec<String> = paths
            .iter()
            .map(|&(i, j)| format!("{} -> {}", name(i), name(j)))
            .collect();
        labels.extend(fit.items().iter().cloned());
        labels.extend(fit.items().iter().cloned());
        labels.extend(
            totals
                .iter()
                .map(|&(i, j)| format!("{} -> {}", name(i), name(j))),
        );
        Layout {
            paths,
            totals,
            labels,
        }
    }

    fn estimates(&self, fit: &PlsFit) -> Vec<f64> {
        let mut v: Vec<f64> = self
            .paths
            .iter()
            .map(|&(i, j)| fit.direct_effects()[(i, j)])
            .collect();
        v.extend(fit.loadings().iter());
        v.extend(fit.weights().iter());
        v.extend(
            self.totals
                .iter()
                .map(|&(i, j)| fit.total_effects()[(i, j)]),
        );
        v
    }
}

/// Type-7 (linear interpolation) quantile of sorted `v`.
fn quantile(v: &[f64], q: f64) -> f64 {
    let h = (v.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = (lo + 1).min(v.len() - 1);
    v[lo] + (h - lo as f64) * (v[hi] - v[lo])
}

fn summarise(label: String, original: f64, v: &mut [f64], alpha: f64) -> Estimate {
    let b = v.len() as f64;
    let mean = v.iter().sum::<f64>() / b;
    let var = v.iter().map(|x| (x - mean) * (x - mean)).sum::<f64>() / (b - 1.0);
    let se = var.sqrt();
    // Below this the spread is rounding noise (a single-item block's weight is 1 in every
    // resample up to a few ulps).
    let std_error = (se > 1e-12 * (1.0 + mean.abs())).then_some(se);
    v.sort_by(f64::total_cmp);
    Estimate {
        label,
        original,
        mean,
        std_error,
        t_value: std_error.map(|s| original / s),
        ci_lower: quantile(v, alpha / 2.0),
        ci_upper: quantile(v, 1.0 - alpha / 2.0),
    }
}

/// The bootstrap distribution summary of one estimate.
///
/// # Formula
///
/// ```text
/// SE = sd(θ*_1..θ*_B) with B - 1;   t = θ̂ / SE;   CI = [Q(α/2), Q(1 - α/2)] of θ*
/// ```
///
/// Q is the type-7 quantile (linear interpolation between order statistics, R's default).
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
/// let e = boot.path("Quality", "Satisfaction");
/// assert!(e.is_some_and(|e| e.ci_lower <= e.ci_upper && e.std_error.is_some()));
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Estimate {
    /// `"From -> To"` for paths and total effects, the item name for loadings and weights.
    pub label: String,
    /// The estimate on the full sample.
    pub original: f64,
    /// Mean over the resamples.
    pub mean: f64,
    /// Bootstrap standard error; `None` if the resamples did not vary beyond rounding
    /// (`SE <= 1e-12·(1 + |mean|)`).
    pub std_error: Option<f64>,
    /// `original / std_error`.
    pub t_value: Option<f64>,
    /// Lower percentile bound.
    pub ci_lower: f64,
    /// Upper percentile bound.
    pub ci_upper: f64,
}

/// Bootstrap results of a PLS fit. Made by [`Bootstrap::run`].
///
/// # Example
///
/// ```
/// # use crm_analytics::pls::{Pls, PlsModel};
/// # use nalgebra::DMatrix;
/// # let data = DMatrix::from_row_slice(6, 4, &[
/// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
/// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
/// # ]);
/// # let model = PlsModel::new()
/// #     .reflective("Quality", &["q1", "q2"])
/// #     .reflective("Satisfaction", &["s1", "s2"])
/// #     .path("Quality", "Satisfaction");
/// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
/// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
/// assert_eq!(boot.paths().len(), 1);
/// let text = boot.to_string(); // ready to print
/// # Ok::<(), crm_analytics::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[must_use]
pub struct BootstrapFit {
    options: Bootstrap,
    requested: usize,
    successful: usize,
    failed: usize,
    paths: Vec<Estimate>,
    loadings: Vec<Estimate>,
    weights: Vec<Estimate>,
    total_effects: Vec<Estimate>,
}

impl BootstrapFit {
    /// The options used.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert_eq!(boot.options().get_resamples(), 50);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    pub fn options(&self) -> &Bootstrap {
        &self.options
    }

    /// Resamples requested.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert_eq!(boot.requested(), 50);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn requested(&self) -> usize {
        self.requested
    }

    /// Resamples estimated and used.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert_eq!(boot.successful() + boot.failed(), boot.requested());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn successful(&self) -> usize {
        self.successful
    }

    /// Resamples discarded (estimation failed or did not converge).
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert!(boot.failed() <= boot.requested());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn failed(&self) -> usize {
        self.failed
    }

    /// Path coefficients, in the model's path order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert_eq!(boot.paths()[0].label, "Quality -> Satisfaction");
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn paths(&self) -> &[Estimate] {
        &self.paths
    }

    /// Loadings, stacked item order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert_eq!(boot.loadings().len(), 4);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn loadings(&self) -> &[Estimate] {
        &self.loadings
    }

    /// Outer weights, stacked item order.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert_eq!(boot.weights()[0].label, "q1");
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn weights(&self) -> &[Estimate] {
        &self.weights
    }

    /// Total effects of every pair joined by a directed path.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert_eq!(boot.total_effects().len(), 1);
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn total_effects(&self) -> &[Estimate] {
        &self.total_effects
    }

    /// The path `from -> to`, if the model has it.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// assert!(boot.path("Quality", "Satisfaction").is_some());
    /// assert!(boot.path("Satisfaction", "Quality").is_none());
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn path(&self, from: &str, to: &str) -> Option<&Estimate> {
        let label = format!("{from} -> {to}");
        self.paths.iter().find(|e| e.label == label)
    }

    /// The total effect `from -> to`, if a directed path joins them.
    ///
    /// # Example
    ///
    /// ```
    /// # use crm_analytics::pls::{Pls, PlsModel};
    /// # use nalgebra::DMatrix;
    /// # let data = DMatrix::from_row_slice(6, 4, &[
    /// #     1.0, 2.0, 2.0, 1.0,  2.0, 2.0, 3.0, 2.0,  3.0, 4.0, 3.0, 4.0,
    /// #     4.0, 3.0, 5.0, 4.0,  5.0, 5.0, 4.0, 5.0,  6.0, 5.0, 6.0, 6.0,
    /// # ]);
    /// # let model = PlsModel::new()
    /// #     .reflective("Quality", &["q1", "q2"])
    /// #     .reflective("Satisfaction", &["s1", "s2"])
    /// #     .path("Quality", "Satisfaction");
    /// # let fit = Pls::new().fit(&model, &data, &["q1", "q2", "s1", "s2"])?;
    /// # let boot = crm_analytics::pls::Bootstrap::new().resamples(50).seed(3).run(&fit)?;
    /// let t = boot.total_effect("Quality", "Satisfaction");
    /// assert!(t.is_some_and(|t| t.ci_lower <= t.ci_upper));
    /// # Ok::<(), crm_analytics::Error>(())
    /// ```
    #[must_use]
    pub fn total_effect(&self, from: &str, to: &str) -> Option<&Estimate> {
        let label = format!("{from} -> {to}");
        self.total_effects.iter().find(|e| e.label == label)
    }
}

fn table(f: &mut fmt::Formatter<'_>, title: &str, rows: &[Estimate]) -> fmt::Result {
    writeln!(f, "{title}")?;
    writeln!(
        f,
        "{:<32} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "", "original", "mean", "std.err", "t", "lower", "upper"
    )?;
    for e in rows {
        let se = e.std_error.map_or("-".to_string(), |s| format!("{s:.4}"));
        let t = e.t_value.map_or("-".to_string(), |s| format!("{s:.3}"));
        writeln!(
            f,
            "{:<32} {:>9.4} {:>9.4} {:>9} {:>9} {:>9.4} {:>9.4}",
            e.label, e.original, e.mean, se, t, e.ci_lower, e.ci_upper
        )?;
    }
    Ok(())
}

impl fmt::Display for BootstrapFit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "Bootstrap: {} of {} resamples used (seed {}, {} sign change), {}% percentile intervals",
            self.successful,
            self.requested,
            self.options.seed,
            self.options.sign_change,
            100.0 * self.options.confidence_level
        )?;
        table(f, "Path coefficients", &self.paths)?;
        table(f, "Total effects", &self.total_effects)?;
        table(f, "Outer weights", &self.weights)?;
        table(f, "Loadings", &self.loadings)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_quantile_by_hand() {
        // v = 1..=5: h = 4·0.25 = 1 -> 2; h = 4·0.1 = 0.4 -> 1 + 0.4·(2 - 1) = 1.4.
        let v = [1.0, 2.0, 3.0, 4.0, 5.0];
        assert!((quantile(&v, 0.25) - 2.0).abs() < 1e-15);
        assert!((quantile(&v, 0.1) - 1.4).abs() < 1e-15);
        assert!((quantile(&v, 1.0) - 5.0).abs() < 1e-15);
    }

    #[test]
    fn summary_by_hand() {
        // Draws 1, 2, 3, 4: mean 2.5, sd (n-1) = √(5/3); original 2 -> t = 2/√(5/3).
        let mut v = vec![4.0, 1.0, 3.0, 2.0];
        let e = summarise("x".into(), 2.0, &mut v, 0.5);
        assert!((e.mean - 2.5).abs() < 1e-15);
        let se = (5.0f64 / 3.0).sqrt();
        assert!((e.std_error.unwrap_or(0.0) - se).abs() < 1e-15);
        assert!((e.t_value.unwrap_or(0.0) - 2.0 / se).abs() < 1e-14);
        // 25% and 75% type-7 quantiles of 1..4: 1.75 and 3.25.
        assert!((e.ci_lower - 1.75).abs() < 1e-15 && (e.ci_upper - 3.25).abs() < 1e-15);
    }
}
