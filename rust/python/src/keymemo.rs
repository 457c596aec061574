//! The key decisions of recent walks by the key's `str` object: a key met
//! again (most are the same interned object in every event) goes to its
//! node without reading, hashing or comparing its text.
//!
//! A slot holds a reference to the key object, so its address names no other
//! object while it is there, and the node id the engine's kept table gave
//! that key under that parent, valid while the table's generation lasts (the
//! memo is emptied when it changes). Only keys the table itself keeps are
//! remembered: never a key whose name held personal data (those are decided
//! for each event and not kept), nor one under such a key. Bounded: at most
//! [`SLOTS`] keys of at most [`MAX_KEY_BYTES`] bytes each (a slot is simply
//! overwritten by a key that maps to it).

use pii_core::tree::NodeId;
use pyo3::prelude::*;
use pyo3::types::PyString;

/// How many keys are remembered, at most.
pub const SLOTS: usize = 512;
/// The longest key (bytes of UTF-8) remembered.
pub const MAX_KEY_BYTES: usize = 128;

struct Slot {
    key: Py<PyString>,
    parent: NodeId,
    node: NodeId,
    /// The key is one of the event's own name's (`event`, `message`, ...).
    event_name: bool,
}

/// What is remembered of a key: its node and whether it names the event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Remembered {
    pub node: NodeId,
    pub event_name: bool,
}

/// The memo; one per engine, used by one walk at a time.
pub struct KeyMemo {
    /// The kept table's generation the slots were made in.
    generation: u64,
    slots: Vec<Option<Slot>>,
}

impl Default for KeyMemo {
    fn default() -> Self {
        KeyMemo { generation: 0, slots: (0..SLOTS).map(|_| None).collect() }
    }
}

fn slot_of(key: &Bound<'_, PyString>, parent: NodeId) -> usize {
    let address = key.as_ptr() as usize;
    ((address >> 4) ^ (parent as usize).wrapping_mul(0x9E37_79B9)) % SLOTS
}

impl KeyMemo {
    /// Ready for a walk of the kept table's `generation`: what an earlier
    /// generation's walks remembered goes.
    pub fn begin(&mut self, generation: u64) {
        if generation != self.generation {
            self.slots.iter_mut().for_each(|s| *s = None);
            self.generation = generation;
        }
    }

    /// What is remembered of `key` (this very object) under `parent`.
    pub fn get(&self, key: &Bound<'_, PyString>, parent: NodeId) -> Option<Remembered> {
        match &self.slots[slot_of(key, parent)] {
            Some(s) if s.parent == parent && s.key.as_ptr() == key.as_ptr() => Some(Remembered { node: s.node, event_name: s.event_name }),
            _ => None,
        }
    }

    /// Remembers `key` (an exact `str`, `len` bytes of text) under `parent`
    /// as `node`, a kept node of this generation's table.
    pub fn put(&mut self, key: &Bound<'_, PyString>, len: usize, parent: NodeId, seen: Remembered) {
        if len <= MAX_KEY_BYTES {
            let key_ref = key.clone().unbind();
            self.slots[slot_of(key, parent)] = Some(Slot { key: key_ref, parent, node: seen.node, event_name: seen.event_name });
        }
    }

    /// How many keys are remembered (for tests).
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.is_some()).count()
    }
}
