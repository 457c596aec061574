//! The decisions about keys: one [`Node`] per key path, kept in a table
//! bounded by count and by bytes. A node holds what a key's name decides
//! (the field rule and its target, tags, whether the name itself holds
//! personal data); never a value. A key whose name holds personal data is
//! decided for the event at hand and not kept.

use rustc_hash::FxHashMap as HashMap;

/// A node's index in the table.
pub type NodeId = u32;

/// The root: the top level of an event.
pub const ROOT: NodeId = 0;

/// How many nodes the table keeps before it starts again.
pub const MAX_NODES: usize = 50_000;
/// How many bytes of key text, paths and words it keeps before it starts again.
pub const MAX_BYTES: usize = 16 << 20;

/// The kind of a key, so that keys equal in Python (`1`, `1.0`, `True`) or
/// with the same text (`1` and `"1"`) are never taken for one another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeyKind {
    Str,
    Int,
    Float,
    Bool,
    None,
    Bytes,
    Tuple,
    /// Any other type; its name is part of the key text.
    Other,
    /// Not a key: a node's variant for a person's record (see `Walk::in_record`).
    Record,
}

/// What a key path decides.
#[derive(Debug, Clone, Default)]
pub struct Node {
    /// The path as summaries and alerts show it (a key that held personal data, masked).
    pub path: String,
    /// The path's words (parents' and the key's), for the keys below it.
    pub words: Vec<String>,
    /// The target of every value at or below this path (a personal field).
    pub capture: Option<u32>,
    /// Targets of a "keep" field: tags, when the value is not empty.
    pub tags: Vec<u32>,
    /// The field is dropped from the output (credentials).
    pub drop: bool,
    /// A whole number under the field is a count, not a value (`logins: 5`).
    pub counts: bool,
    /// The key as written out, when its name held personal data.
    pub key_out: Option<String>,
    /// What the key's name held.
    pub key_findings: Vec<u32>,
    /// The value is a URL, redacted part by part.
    pub url: bool,
    /// The target of the value when the mapping that holds the key holds a
    /// person's data (a "record" field rule: `name`, `first`, `owner`).
    pub record: Option<u32>,
    /// The record rule also reads `key=value` pairs in text (`user=janis`).
    pub record_in_text: bool,
    /// The key's name was not read (longer than the bound): the key counts
    /// as unchecked each time it is met (its `key_findings`), and its value
    /// is replaced without counting again.
    pub unread: bool,
    /// The field is a person's data (identity, contact, bank or credential):
    /// it makes its mapping a person's record.
    pub personal: bool,
    /// What the key's name tells the value rules (`context_fields`, `deny_fields`).
    pub cues: Vec<crate::scan::FieldCue>,
    /// Kept children with `str` keys, by key text.
    pub(crate) children: HashMap<Box<str>, NodeId>,
}

/// Ids of nodes that live for one walk only have this bit set.
const TRANSIENT: NodeId = 1 << 31;

/// The table of nodes. Ids stay valid until [`Nodes::begin`].
pub struct Nodes {
    arena: Vec<Node>,
    /// Nodes of this walk only: keys whose names held personal data, and all below them.
    transient: Vec<Node>,
    /// Kept children whose keys are not `str`.
    others: HashMap<(NodeId, KeyKind, Box<str>), NodeId>,
    bytes: usize,
    /// How many times the table started again: ids of an earlier generation
    /// name other nodes (or none).
    generation: u64,
}

impl Default for Nodes {
    fn default() -> Self {
        Nodes { arena: vec![Node::default()], transient: Vec::new(), others: HashMap::default(), bytes: 0, generation: 0 }
    }
}

impl Nodes {
    #[inline]
    pub fn get(&self, id: NodeId) -> &Node {
        if id & TRANSIENT != 0 {
            &self.transient[(id & !TRANSIENT) as usize]
        } else {
            &self.arena[id as usize]
        }
    }

    fn get_mut(&mut self, id: NodeId) -> &mut Node {
        if id & TRANSIENT != 0 {
            &mut self.transient[(id & !TRANSIENT) as usize]
        } else {
            &mut self.arena[id as usize]
        }
    }

    /// The kept child of `parent` for a key, if decided before.
    pub fn child(&self, parent: NodeId, kind: KeyKind, name: &str) -> Option<NodeId> {
        match kind {
            KeyKind::Str => self.get(parent).children.get(name).copied(),
            _ => self.others.get(&(parent, kind, Box::from(name))).copied(),
        }
    }

    /// Adds a node; it is kept for later events unless `transient` (or under
    /// a transient parent), when it lives for this walk only.
    pub fn add(&mut self, parent: NodeId, kind: KeyKind, name: &str, node: Node, transient: bool) -> NodeId {
        if transient || parent & TRANSIENT != 0 {
            let id = NodeId::try_from(self.transient.len()).unwrap_or(0) | TRANSIENT;
            self.transient.push(node);
            if kind == KeyKind::Str && parent & TRANSIENT != 0 {
                self.get_mut(parent).children.insert(Box::from(name), id);
            }
            return id;
        }
        let id = NodeId::try_from(self.arena.len()).unwrap_or(0);
        self.bytes += node.path.len() + node.words.iter().map(String::len).sum::<usize>() + name.len();
        self.arena.push(node);
        match kind {
            KeyKind::Str => {
                self.arena[parent as usize].children.insert(Box::from(name), id);
            }
            _ => {
                self.others.insert((parent, kind, Box::from(name)), id);
            }
        }
        id
    }

    /// Before a walk: this walk's nodes go, and the table starts again when
    /// it is past its bounds (never during a walk: the ids it holds stay valid).
    pub fn begin(&mut self) {
        self.transient.clear();
        if self.arena.len() > MAX_NODES || self.bytes > MAX_BYTES {
            self.reset();
        }
    }

    /// Starts the table again, empty, in a new generation.
    pub fn reset(&mut self) {
        let generation = self.generation.wrapping_add(1);
        *self = Nodes { generation, ..Nodes::default() };
    }

    /// The table's generation: a kept id stays the same node while it lasts.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// Whether `id` is a kept node (not one of this walk's only).
    pub fn is_kept(id: NodeId) -> bool {
        id & TRANSIENT == 0
    }

    /// How many nodes the table keeps (the root included).
    pub fn count(&self) -> usize {
        self.arena.len()
    }

    /// The bytes of key text, paths and words it holds.
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}
