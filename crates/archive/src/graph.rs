//! The reference graph around a cable: the cables it cites, those citing
//! it, to a given depth.

use std::collections::{BTreeMap, VecDeque};

use serde::Serialize;

use crate::{Archive, Error, Result};

/// Which edges to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// From a cable to the cables it cites.
    Out,
    /// From a cable to the cables citing it.
    In,
    /// Both.
    Both,
}

/// A cable in the graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Node {
    /// Canonical id.
    pub id: String,
    /// Whether the archive holds it (a cited cable may be missing).
    pub present: bool,
    /// Steps from the starting cable.
    pub depth: u32,
    /// Subject, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Created, when present.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created: Option<String>,
}

/// A citation: `from` cites `to`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Edge {
    /// The citing cable.
    pub from: String,
    /// The cited cable.
    pub to: String,
}

/// The graph around a cable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Graph {
    /// The starting cable.
    pub root: String,
    /// Cables, breadth-first from the root.
    pub nodes: Vec<Node>,
    /// Citations between them.
    pub edges: Vec<Edge>,
}

/// The largest depth served.
pub const MAX_DEPTH: u32 = 6;
/// The largest number of cables returned.
pub const MAX_NODES: usize = 5_000;

impl Archive {
    /// The reference graph around `id`, `depth` steps out (1 to [`MAX_DEPTH`]).
    pub fn refs(&self, id: &str, depth: u32, direction: Direction) -> Result<Graph> {
        let root = crate::store::canonical_id(id)?.to_string();
        if !self.store.contains(&root)? {
            return Err(Error::CableNotFound(root));
        }
        if depth == 0 || depth > MAX_DEPTH {
            return Err(Error::BadRequest(format!("depth must be between 1 and {MAX_DEPTH}")));
        }
        let mut seen: BTreeMap<String, u32> = BTreeMap::new();
        let mut order: Vec<String> = Vec::new();
        let mut edges: Vec<Edge> = Vec::new();
        let mut queue: VecDeque<(String, u32)> = VecDeque::from([(root.clone(), 0)]);
        seen.insert(root.clone(), 0);
        order.push(root.clone());
        while let Some((cur, d)) = queue.pop_front() {
            if d >= depth || order.len() >= MAX_NODES {
                continue;
            }
            let mut next: Vec<(String, Edge)> = Vec::new();
            if matches!(direction, Direction::Out | Direction::Both) {
                for to in self.store.cites(&cur)? {
                    next.push((to.clone(), Edge { from: cur.clone(), to }));
                }
            }
            if matches!(direction, Direction::In | Direction::Both) {
                for from in self.store.cited_by(&cur)? {
                    next.push((from.clone(), Edge { from, to: cur.clone() }));
                }
            }
            for (n, e) in next {
                if !edges.contains(&e) {
                    edges.push(e);
                }
                if !seen.contains_key(&n) && order.len() < MAX_NODES {
                    seen.insert(n.clone(), d + 1);
                    order.push(n.clone());
                    queue.push_back((n, d + 1));
                }
            }
        }
        let mut nodes = Vec::with_capacity(order.len());
        for id in order {
            let info = self.store.latest_info(&id)?;
            nodes.push(Node {
                depth: seen[&id],
                present: info.is_some(),
                subject: info.as_ref().map(|i| i.subject.clone()),
                created: info.as_ref().and_then(|i| i.created).map(crate::query::format_unix),
                id,
            });
        }
        Ok(Graph { root, nodes, edges })
    }
}
