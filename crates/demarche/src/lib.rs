//! The `demarche` binary as a library: the command-line interface and its
//! commands, thin glue over the `cable` crate (and, later, `archive`).
#![deny(missing_docs)]

pub mod cli;
pub mod cmd;
pub mod inputs;
