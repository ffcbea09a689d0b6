//! Tests over the 1,295 real cables of the shared corpus.
