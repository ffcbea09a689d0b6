//! The `demarche` binary as a library: the command-line interface and its
//! commands, thin glue over the `cable` and `archive` crates.
#![deny(missing_docs)]

pub mod cli;
pub mod cmd;
pub mod loadgen;
pub mod render;
pub mod server;
