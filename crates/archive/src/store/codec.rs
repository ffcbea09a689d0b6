//! How cables are compressed in the store: zstd level 3, with the archive's
//! trained dictionary once it has one.
//!
//! A cable is a few kilobytes of JSON whose structure (field names, header
//! boilerplate, markings) repeats from cable to cable; a dictionary trained
//! on the first cables of an archive lets each compressed cable refer to it
//! instead of spelling it out again: about a quarter smaller than plain zstd
//! (measured on held-out real cables: 5,763 -> 4,600 bytes on average).
//!
//! A cable's first frame (and a cable stored in one frame) carries a
//! checksum of its content (zstd's, the low 32 bits of XXH64), checked by
//! every decompression: a stored cable damaged on disk fails to read
//! instead of reading as other text. The second frame has none: the zstd
//! call that would write one with a raw-content dictionary
//! (`load_dictionary`) prepares a dictionary for every cable, which cost
//! 10% of ingest time. What that frame holds, the raw text, is checked
//! against the version's content hash by every whole read
//! ([`super::Store::cable`]) instead. Frames written before checksums were
//! added have none and still read.
//!
//! Each zstd frame names the dictionary it needs (its dictionary id, 0 for
//! none), so cables compressed before the archive had a dictionary, or with
//! an older one, stay readable: decompression picks the dictionary the frame
//! asks for.
//!
//! A cable is stored as two frames, one after the other ([`compress_cable`]):
//! its parsed form without the raw header and body, then the raw header and
//! body. Search snippets, quote attribution and campaign outlines read only
//! the first (zstd decodes whole blocks, and a cable is one block: a frame
//! cannot be read in part). The second frame is compressed with the first
//! one's content as a dictionary: the raw body repeats the paragraphs' text
//! and refers to it instead of spelling it out again, so two frames take
//! about as much room as one. Cables stored before this layout are one
//! frame holding everything; [`split`] tells them apart.

use std::cell::RefCell;
use std::collections::HashMap;
use std::io;
use std::sync::{Arc, Mutex, OnceLock};

use zstd::zstd_safe::{CCtx, CDict, CParameter, DCtx, DDict};

/// Compression level of stored cables.
pub const LEVEL: i32 = 3;

/// The fewest cables ingested in one batch for a dictionary to be trained
/// on them (fewer are not varied enough to be worth a dictionary).
pub const MIN_TRAINING_BATCH: usize = 500;

/// The fewest samples [`train`] accepts.
pub const MIN_TRAINING_SAMPLES: usize = 20;

/// Most cables used to train a dictionary: training time grows with the
/// sample bytes (about 1 s for 100 cables), and 100 cables do nearly as well
/// as 400 (measured on a generated corpus: 3,425 vs 3,403 bytes a cable).
pub const MAX_TRAINING_SAMPLES: usize = 120;

/// Most sample bytes used to train a dictionary.
pub const MAX_TRAINING_BYTES: usize = 2 << 20;

/// The size a trained dictionary is allowed.
pub const DICTIONARY_BYTES: usize = 112 * 1024;

/// A dictionary ready to compress with.
pub struct Encoder {
    id: u32,
    cdict: &'static CDict<'static>,
}

/// Every dictionary prepared for compression in this process, by the
/// BLAKE3 hash of its bytes. Each thread's reused compression context
/// refers to the dictionary of its last frame, so prepared dictionaries
/// live as long as the process; there is one per archive written to.
static PREPARED: OnceLock<Mutex<HashMap<[u8; 32], &'static CDict<'static>>>> = OnceLock::new();

impl Encoder {
    /// Prepares a dictionary (as trained by [`train`]) for compression, or
    /// takes the one prepared before from the same bytes.
    pub fn new(dict: &[u8]) -> io::Result<Encoder> {
        let id = zstd::zstd_safe::get_dict_id_from_dict(dict)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not a zstd dictionary"))?;
        let mut prepared =
            PREPARED.get_or_init(Default::default).lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let cdict = match prepared.entry(*blake3::hash(dict).as_bytes()) {
            std::collections::hash_map::Entry::Occupied(e) => *e.get(),
            std::collections::hash_map::Entry::Vacant(e) => {
                let cdict = CDict::try_create(dict, LEVEL).ok_or_else(|| {
                    io::Error::new(io::ErrorKind::InvalidData, "zstd could not load the dictionary")
                })?;
                *e.insert(Box::leak(Box::new(cdict)))
            }
        };
        Ok(Encoder { id: id.get(), cdict })
    }

    /// The dictionary's id, as written into every frame it compresses.
    pub fn id(&self) -> u32 {
        self.id
    }
}

/// The dictionaries an archive has, by id, ready to decompress with.
#[derive(Default, Clone)]
pub struct Decoders {
    by_id: HashMap<u32, Arc<DDict<'static>>>,
}

impl Decoders {
    /// Adds a dictionary; returns its id.
    pub fn add(&mut self, dict: &[u8]) -> io::Result<u32> {
        let id = zstd::zstd_safe::get_dict_id_from_dict(dict)
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "not a zstd dictionary"))?;
        let ddict = DDict::try_create(dict).ok_or_else(|| {
            io::Error::new(io::ErrorKind::InvalidData, "zstd could not load the dictionary")
        })?;
        self.by_id.insert(id.get(), Arc::new(ddict));
        Ok(id.get())
    }
}

thread_local! {
    static CCTX: RefCell<Option<CCtx<'static>>> = const { RefCell::new(None) };
    static DCTX: RefCell<Option<DCtx<'static>>> = const { RefCell::new(None) };
}

fn zstd_error(code: usize) -> io::Error {
    io::Error::other(zstd::zstd_safe::get_error_name(code))
}

/// A compression context at [`LEVEL`] writing a checksum into every frame.
fn new_cctx() -> io::Result<CCtx<'static>> {
    let mut cctx = CCtx::create();
    cctx.set_parameter(CParameter::CompressionLevel(LEVEL)).map_err(zstd_error)?;
    cctx.set_parameter(CParameter::ChecksumFlag(true)).map_err(zstd_error)?;
    Ok(cctx)
}

/// Compresses `data` with the thread's context (reused: creating one per
/// call costs more than compressing a small cable) by `how`.
fn compress_with(
    data: &[u8],
    how: impl FnOnce(&mut CCtx<'static>, &mut Vec<u8>) -> zstd::zstd_safe::SafeResult,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(zstd::zstd_safe::compress_bound(data.len()));
    CCTX.with(|cell| {
        let mut slot = cell.borrow_mut();
        let cctx = match &mut *slot {
            Some(cctx) => cctx,
            empty => empty.insert(new_cctx()?),
        };
        how(cctx, &mut out).map_err(zstd_error)
    })?;
    Ok(out)
}

/// The decompressed size a frame declares, when it declares a sane one.
fn content_size(frame: &[u8]) -> Option<usize> {
    match zstd::zstd_safe::get_frame_content_size(frame) {
        Ok(Some(n)) if n <= 1 << 30 => Some(n as usize),
        _ => None,
    }
}

/// Decompresses a frame of `size` bytes with the thread's context by `how`,
/// and checks that it gave exactly that many.
fn decompress_with(
    size: usize,
    how: impl FnOnce(&mut DCtx<'static>, &mut Vec<u8>) -> zstd::zstd_safe::SafeResult,
) -> io::Result<Vec<u8>> {
    let mut out = Vec::with_capacity(size);
    DCTX.with(|cell| {
        let mut slot = cell.borrow_mut();
        how(slot.get_or_insert_with(DCtx::create), &mut out).map_err(zstd_error)
    })?;
    if out.len() != size {
        return Err(io::Error::new(io::ErrorKind::InvalidData, "decompressed size differs from the frame's"));
    }
    Ok(out)
}

/// Compresses one cable's JSON, with the dictionary when given.
pub fn compress(json: &[u8], encoder: Option<&Encoder>) -> io::Result<Vec<u8>> {
    compress_with(json, |cctx, out| {
        match encoder {
            Some(e) => cctx.ref_cdict(e.cdict)?,
            None => cctx.disable_dictionary()?,
        };
        cctx.compress2(out, json)
    })
}

/// Decompresses a stored cable. Frames carry their decompressed size (they
/// are all written by [`compress`] or, before dictionaries, `zstd::bulk`).
pub fn decompress(blob: &[u8], decoders: &Decoders) -> io::Result<Vec<u8>> {
    let Some(size) = content_size(blob) else { return zstd::stream::decode_all(blob) };
    let ddict = match zstd::zstd_safe::get_dict_id_from_frame(blob) {
        None => None,
        Some(id) => Some(decoders.by_id.get(&id.get()).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidData,
                format!("compressed with dictionary {id}, which the archive does not have"),
            )
        })?),
    };
    decompress_with(size, |dctx, out| match ddict {
        Some(d) => dctx.decompress_using_ddict(out, blob, d),
        None => dctx.decompress(out, blob),
    })
}

/// Compresses a stored cable: `parsed` (its JSON without the raw text) with
/// the archive's dictionary when given, then `raw` (the raw text, JSON) in a
/// second frame with `parsed` as its dictionary.
pub fn compress_cable(parsed: &[u8], raw: &[u8], encoder: Option<&Encoder>) -> io::Result<Vec<u8>> {
    let mut out = compress(parsed, encoder)?;
    out.extend_from_slice(&compress_with(raw, |cctx, out| {
        cctx.compress_using_dict(out, raw, parsed, LEVEL)
    })?);
    Ok(out)
}

/// A stored cable's frames: the parsed part, and the raw part when it was
/// stored in two frames (`None`: one frame holding the whole cable).
pub fn split(blob: &[u8]) -> io::Result<(&[u8], Option<&[u8]>)> {
    let first = zstd::zstd_safe::find_frame_compressed_size(blob).map_err(zstd_error)?;
    Ok(match blob.split_at(first.min(blob.len())) {
        (parsed, []) => (parsed, None),
        (parsed, raw) => (parsed, Some(raw)),
    })
}

/// Decompresses the raw part of a cable stored in two frames, given its
/// decompressed parsed part (the dictionary it was compressed with).
pub fn decompress_raw(frame: &[u8], parsed: &[u8]) -> io::Result<Vec<u8>> {
    let size = content_size(frame).ok_or_else(|| {
        io::Error::new(io::ErrorKind::InvalidData, "raw frame without a valid content size")
    })?;
    decompress_with(size, |dctx, out| dctx.decompress_using_dict(out, frame, parsed))
}

/// Trains a dictionary on sample cables (their JSON). `None` when there are
/// fewer than [`MIN_TRAINING_SAMPLES`] or zstd finds nothing worth keeping.
pub fn train(samples: &[Vec<u8>]) -> Option<Vec<u8>> {
    if samples.len() < MIN_TRAINING_SAMPLES {
        return None;
    }
    // Spread over the samples given, not only the first ones.
    let step = samples.len().div_ceil(MAX_TRAINING_SAMPLES);
    let mut budget = MAX_TRAINING_BYTES;
    let picked: Vec<&Vec<u8>> = samples
        .iter()
        .step_by(step)
        .take_while(|s| match budget.checked_sub(s.len()) {
            Some(left) => {
                budget = left;
                true
            }
            None => false,
        })
        .collect();
    let sizes: Vec<usize> = picked.iter().map(|s| s.len()).collect();
    let continuous: Vec<u8> = picked.iter().flat_map(|s| s.iter().copied()).collect();
    let dict = zstd::dict::from_continuous(&continuous, &sizes, DICTIONARY_BYTES).ok()?;
    zstd::zstd_safe::get_dict_id_from_dict(&dict).map(|_| dict)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Vec<u8>> {
        (0..MAX_TRAINING_SAMPLES)
            .map(|i| {
                format!(
                    r#"{{"id":"08STATE{i}","classification":"CONFIDENTIAL","origin":"Embassy Kabul","tags":["PREL","PARM","AF"],"subject":"DEMARCHE {i} ON CLUSTER MUNITIONS","raw_body":"1. (C) The Department requests Post pursue item {i} with the Ministry of Foreign Affairs at the earliest opportunity."}}"#
                )
                .into_bytes()
            })
            .collect()
    }

    /// A dictionary trained on `samples`, for compressing and decompressing.
    fn dictionary(samples: &[Vec<u8>]) -> (Encoder, Decoders) {
        let dict = train(samples).expect("a dictionary from enough samples");
        let enc = Encoder::new(&dict).unwrap();
        let mut dec = Decoders::default();
        assert_eq!(dec.add(&dict).unwrap(), enc.id());
        (enc, dec)
    }

    #[test]
    fn round_trips_with_and_without_a_dictionary_and_the_dictionary_helps() {
        let s = samples();
        let (enc, dec) = dictionary(&s);
        let json = &s[17];
        let plain = compress(json, None).unwrap();
        let small = compress(json, Some(&enc)).unwrap();
        assert!(small.len() < plain.len() / 2, "{} vs {}", small.len(), plain.len());
        assert_eq!(&decompress(&plain, &dec).unwrap(), json);
        assert_eq!(&decompress(&small, &dec).unwrap(), json);
        // Without the dictionary the frame names, a clear error, not garbage.
        let err = decompress(&small, &Decoders::default()).unwrap_err().to_string();
        assert!(err.contains("dictionary"), "{err}");
        // Frames written by zstd::bulk before dictionaries existed still read.
        let old = zstd::bulk::compress(json, 3).unwrap();
        assert_eq!(&decompress(&old, &dec).unwrap(), json);
    }

    #[test]
    fn a_cable_in_two_frames_reads_back_and_the_raw_frame_refers_to_the_parsed_one() {
        let (enc, dec) = dictionary(&samples());
        let body = "1. (C) The Department requests Post pursue this with the Ministry of Foreign Affairs. "
            .repeat(20);
        let parsed = format!(r#"{{"id":"08STATE1","paragraphs":[{{"text":"{body}"}}],"raw_body":""}}"#);
        let raw = format!(r#"{{"raw_header":"R 1","raw_body":"{body}"}}"#);
        let blob = compress_cable(parsed.as_bytes(), raw.as_bytes(), Some(&enc)).unwrap();
        let (first, second) = split(&blob).unwrap();
        let second = second.expect("two frames");
        let p = decompress(first, &dec).unwrap();
        assert_eq!(p, parsed.as_bytes());
        assert_eq!(decompress_raw(second, &p).unwrap(), raw.as_bytes());
        // The body is in the first frame already: the second costs little.
        let alone = compress(raw.as_bytes(), None).unwrap();
        assert!(second.len() * 2 < alone.len(), "{} vs {} alone", second.len(), alone.len());
        // A cable stored in one frame (before this layout) is one part.
        let old = compress(parsed.as_bytes(), None).unwrap();
        assert!(split(&old).unwrap().1.is_none());
        assert!(split(b"not zstd").is_err());
    }

    #[test]
    fn every_damaged_byte_of_a_first_frame_fails_to_read_and_never_reads_as_other_text() {
        let (enc, dec) = dictionary(&samples());
        let body = "1. (C) Embassy Kabul delivered the demarche on cluster munitions to the MFA. ".repeat(8);
        let parsed = format!(r#"{{"id":"08STATE1","paragraphs":[{{"text":"{body} 2. (U) Unique 8f3a."}}]}}"#);
        let blob = compress_cable(parsed.as_bytes(), b"{}", Some(&enc)).unwrap();
        let (first, _) = split(&blob).unwrap();
        assert_eq!(decompress(first, &dec).unwrap(), parsed.as_bytes());
        let mut wrong = Vec::new();
        for at in 0..first.len() {
            for flip in [0x01u8, 0x20, 0x80] {
                let mut damaged = first.to_vec();
                damaged[at] ^= flip;
                if decompress(&damaged, &dec).is_ok_and(|read| read != parsed.as_bytes()) {
                    wrong.push(at);
                }
            }
        }
        assert!(wrong.is_empty(), "damage at bytes {wrong:?} of {} read back as other text", first.len());
    }

    #[test]
    fn too_few_samples_make_no_dictionary() {
        assert!(train(&samples()[..MIN_TRAINING_SAMPLES - 1]).is_none());
    }
}
