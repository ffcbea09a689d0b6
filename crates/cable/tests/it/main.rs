//! Integration tests of the `cable` crate over the shared data in `../shared`:
//! the cablemap conformance vectors and the 1,295 real cables.

mod conformance;
mod corpus;
mod fields_eval;
mod robustness;
mod shared;
