//! Integration tests of the archive over the real corpus in `../shared`.

mod acceptance;
mod search_table;
mod shared;
mod versions;
