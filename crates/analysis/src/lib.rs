//! Analyses of a demarche archive that read what the engine stores and
//! indexes, and live beside it rather than inside it. The first is
//! [`coverage`]: how much of each station's traffic the archive holds.

#![deny(missing_docs)]

pub mod coverage;
