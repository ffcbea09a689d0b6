//! A damaged index turned into an error instead of a crash.
//!
//! tantivy trusts its files: bytes overwritten in a term dictionary can make
//! a lookup panic deep inside it. A search runs [`guarded`]: such a panic
//! becomes [`Error::Corrupt`] naming the remedy, and is not printed as a
//! crash (the panic hook stays quiet for it). Panics outside a guarded
//! search are reported as before.

use std::cell::Cell;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

use crate::{Error, Result};

thread_local! {
    /// Whether this thread is inside [`guarded`].
    static GUARDED: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f`; a panic inside it (from a damaged index) becomes an error.
pub(crate) fn guarded<T>(f: impl FnOnce() -> Result<T>) -> Result<T> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !GUARDED.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = GUARDED.with(|g| g.replace(true));
    let outcome = catch_unwind(AssertUnwindSafe(f));
    GUARDED.with(|g| g.set(was));
    match outcome {
        Ok(result) => result,
        Err(_) => {
            tracing::error!("a search failed inside the index: the index is damaged");
            Err(Error::Corrupt(
                "the search index is damaged (a search failed inside it): run `demarche check`, then `demarche reindex`"
                    .into(),
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::guarded;

    #[test]
    fn a_panic_inside_becomes_an_error_and_results_pass_through() {
        assert_eq!(guarded(|| Ok(3)).unwrap(), 3);
        let e = guarded::<()>(|| panic!("damaged")).unwrap_err();
        assert!(e.to_string().contains("demarche reindex"), "{e}");
        assert_eq!(guarded(|| Ok("again")).unwrap(), "again");
    }
}
