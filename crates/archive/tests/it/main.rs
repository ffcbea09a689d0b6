//! Integration tests of the archive over the real corpus in `../shared`.

mod acceptance;
mod attribution;
mod campaign;
mod newsroom;
mod reader_queries;
mod references;
mod search_table;
mod shared;
mod variant_groups;
mod versions;
mod what_the_reader_means;
