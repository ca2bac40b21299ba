//! Large zeroed `f64` buffers on transparent huge pages where the system offers them.
//!
//! A fresh heap buffer of tens of megabytes is mapped by the kernel one 4 KiB page at a
//! time, on first touch: for the 80 MB that sorting ten million revenues needs, about
//! 20,000 page faults, which cost more than a third of the sort itself on the machine
//! of `docs/performance.md`. On Linux a buffer from [`F64Buf::ZEROED_MAPPED_FROM`]
//! bytes up is instead an anonymous mapping advised `MADV_HUGEPAGE` (through
//! `memmap2`, so the crate itself stays free of `unsafe`), which the kernel backs with
//! 2 MiB pages: a fault per 512 of the small ones. numpy does the same for its large
//! arrays. Elsewhere, or when the mapping or the advice fails, the buffer is an ordinary
//! `Vec`; the contents are the same either way.

use std::fmt;
use std::ops::{Deref, DerefMut};

/// A zero-initialised buffer of `f64`, on huge pages when large (see the module docs).
pub(crate) struct F64Buf(Store);

enum Store {
    Heap(Vec<f64>),
    #[cfg(target_os = "linux")]
    Mapped {
        map: memmap2::MmapMut,
        len: usize,
    },
}

impl F64Buf {
    /// Buffers of at least this many bytes are mapped (Linux).
    pub(crate) const ZEROED_MAPPED_FROM: usize = 8 << 20;

    /// `n` zeros.
    pub(crate) fn zeroed(n: usize) -> Self {
        #[cfg(target_os = "linux")]
        if let Some(bytes) = n.checked_mul(8).filter(|&b| b >= Self::ZEROED_MAPPED_FROM)
            && let Ok(map) = memmap2::MmapOptions::new().len(bytes).map_anon()
            // the mapping is page-aligned, so the cast to f64 cannot fail
            && bytemuck::try_cast_slice::<u8, f64>(&map[..]).is_ok()
        {
            // Anonymous memory reads as zeros, which are 0.0; the advice only changes the
            // page size, so a refusal (huge pages disabled) is harmless.
            let _ = map.advise(memmap2::Advice::HugePage);
            return F64Buf(Store::Mapped { map, len: n });
        }
        F64Buf(Store::Heap(vec![0.0; n]))
    }

    /// A heap buffer holding `v`.
    pub(crate) fn from_vec(v: Vec<f64>) -> Self {
        F64Buf(Store::Heap(v))
    }
}

impl Deref for F64Buf {
    type Target = [f64];
    fn deref(&self) -> &[f64] {
        match &self.0 {
            Store::Heap(v) => v,
            #[cfg(target_os = "linux")]
            Store::Mapped { map, len } => {
                bytemuck::try_cast_slice(&map[..*len * 8]).unwrap_or_default()
            }
        }
    }
}

impl DerefMut for F64Buf {
    fn deref_mut(&mut self) -> &mut [f64] {
        match &mut self.0 {
            Store::Heap(v) => v,
            #[cfg(target_os = "linux")]
            Store::Mapped { map, len } => {
                bytemuck::try_cast_slice_mut(&mut map[..*len * 8]).unwrap_or_default()
            }
        }
    }
}

impl Clone for F64Buf {
    fn clone(&self) -> Self {
        let mut b = F64Buf::zeroed(self.len());
        b.copy_from_slice(self);
        b
    }
}

impl PartialEq for F64Buf {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl fmt::Debug for F64Buf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_and_small_buffers_hold_zeros_and_writes() {
        for n in [0, 3, F64Buf::ZEROED_MAPPED_FROM / 8 + 5] {
            let mut b = F64Buf::zeroed(n);
            assert_eq!(b.len(), n);
            assert!(b.iter().all(|&x| x.to_bits() == 0));
            for (i, x) in b.iter_mut().enumerate() {
                *x = i as f64;
            }
            let c = b.clone();
            assert_eq!(c, b);
            assert_eq!(c.last().copied(), n.checked_sub(1).map(|i| i as f64));
        }
        assert_eq!(&*F64Buf::from_vec(vec![1.0, 2.0]), &[1.0, 2.0]);
    }
}
