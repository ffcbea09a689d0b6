//! Decoding a cable body (placeholder, being written).
