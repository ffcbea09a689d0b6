//! Reading each published format (placeholder, being written).
