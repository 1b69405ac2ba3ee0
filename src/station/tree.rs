//! Read-only view models for the GUI: the live tree of a container (pallet → cases → packs), the
//! containers being filled and the open counterfeit alerts. Nothing here changes state.

use super::{ContainerInfo, Failure, Outcome, Response, Station};
use crate::domain::{ReasonCode, UnitView};
use crate::store::{self, AlertInfo, Conn};
use serde::Serialize;
use std::collections::HashMap;

/// One row of a container tree, in pre-order (a parent comes right before its children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeNode {
    /// Bracketed GS1 key.
    pub key: String,
    /// Level (`pack`, `case`, `pallet`, `container`).
    pub level: &'static str,
    /// Status (`active`, `decommissioned`, ...).
    pub status: &'static str,
    /// Depth below the root (the root is 0).
    pub depth: u16,
    /// Direct children now (containers).
    pub count: u32,
    /// Capacity (containers).
    pub capacity: Option<u32>,
    /// `open` or `closed` (containers).
    pub state: Option<&'static str>,
    /// Number of rows below this one that belong to its subtree.
    pub descendants: u32,
    /// Where a container came from when it was taken in from elsewhere (`repository`,
    /// `file`); `None` for one made at this station (and for packs).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub origin: Option<String>,
    /// When it was taken in (UTC ms), with `origin`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adopted_ms: Option<i64>,
    /// How the row stands in a contents check (`seen`, `missing`, `extra`, `foreign`,
    /// `wrong_lot`); `None` outside a check.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mark: Option<&'static str>,
    /// Whether an active hold (quarantine) covers the unit: its own, a container's above it,
    /// or its lot's.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub held: bool,
    /// The id of the hold that covers it (see `holds`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hold_id: Option<i64>,
}

/// A whole container tree, root first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TreeSnapshot {
    /// The rows in pre-order; empty when there is nothing to show.
    pub nodes: Vec<TreeNode>,
}

fn node(conn: &Conn, u: &UnitView, depth: u16) -> Result<TreeNode, Failure> {
    let adoption = if u.is_container() {
        store::adoption_of(conn, u.id)?
    } else {
        None
    };
    Ok(TreeNode {
        key: u.key.clone(),
        level: u.level.as_str(),
        status: u.status.as_str(),
        depth,
        count: u.child_count,
        capacity: u.capacity,
        state: u.state.map(|s| s.as_str()),
        descendants: 0,
        adopted_ms: adoption.as_ref().map(|a| a.refreshed_ms),
        origin: adoption.map(|a| a.origin),
        mark: None,
        held: false,
        hold_id: None,
    })
}

/// Appends the rows of `root`'s subtree in pre-order (root at depth 0).
fn subtree_rows(conn: &Conn, root: &UnitView, nodes: &mut Vec<TreeNode>) -> Result<(), Failure> {
    let all = store::subtree(conn, root.id)?;
    let mut kids: HashMap<i64, Vec<usize>> = HashMap::new();
    for (i, u) in all.iter().enumerate() {
        if let Some(p) = u.parent_id {
            kids.entry(p).or_default().push(i);
        }
    }
    let first = nodes.len();
    nodes.push(node(conn, root, 0)?);
    // Iterative pre-order walk; `stack` holds (unit id, depth, next child) whose subtree is
    // pending, `open_rows` the rows whose descendant count is still to be set.
    let mut stack: Vec<(i64, u16, usize)> = vec![(root.id, 0, 0)];
    let mut open_rows: Vec<usize> = vec![first];
    while let Some((id, depth, next)) = stack.pop() {
        let children = kids.get(&id).map_or(&[][..], Vec::as_slice);
        if let Some(&child) = children.get(next) {
            stack.push((id, depth, next + 1));
            let u = &all[child];
            open_rows.push(nodes.len());
            nodes.push(node(conn, u, depth + 1)?);
            stack.push((u.id, depth + 1, 0));
        } else if let Some(row) = open_rows.pop() {
            let below = nodes.len() - row - 1;
            if let Some(n) = nodes.get_mut(row) {
                n.descendants = u32::try_from(below).unwrap_or(u32::MAX);
            }
        }
    }
    super::hold::mark_tree(conn, root, &all, nodes.get_mut(first..).unwrap_or_default())?;
    Ok(())
}

impl Station {
    /// The tree of the topmost container above `scan`. With `scan` `None`: the tree above the
    /// highest container being filled, followed by the tree of each lower container being
    /// filled that is not in it yet (the case being filled stands beside the pallet until it is
    /// closed and put on it), so every pack scanned shows in the tree. An empty snapshot when
    /// nothing is being filled.
    pub fn tree(&self, scan: Option<&str>) -> Result<TreeSnapshot, Box<Response>> {
        self.tree_outcome(scan).map_err(|f| {
            Box::new(match f {
                Failure::Refused(r) => r.into(),
                Failure::Store(e) => {
                    Response::with_code(ReasonCode::StorageError, Some(e.to_string()))
                }
            })
        })
    }

    fn tree_outcome(&self, scan: Option<&str>) -> Result<TreeSnapshot, Failure> {
        let conn = self.store.conn();
        let starts = match scan {
            Some(s) => vec![self.resolve(conn, s)?],
            None => {
                let mut current: Vec<_> = self.session.current.iter().collect();
                current.sort_by_key(|(level, _)| std::cmp::Reverse(**level));
                let mut units = Vec::with_capacity(current.len());
                for (_, id) in current {
                    if let Some(u) = store::unit_by_id(conn, *id)? {
                        units.push(u);
                    }
                }
                units
            }
        };
        let mut nodes: Vec<TreeNode> = Vec::new();
        for start in starts {
            // Already shown inside an earlier tree (a case put on the pallet). A start that is
            // not shown has a root that is not shown either: that root's tree would hold it.
            if nodes.iter().any(|n| n.key == start.key) {
                continue;
            }
            let root = store::ancestors(conn, &start)?.pop().unwrap_or(start);
            subtree_rows(conn, &root, &mut nodes)?;
        }
        Ok(TreeSnapshot { nodes })
    }

    /// The key of the first unit whose key contains `fragment` (a serial, part of an SSCC):
    /// Find, for a unit that is not in the tree shown.
    pub fn find_unit(&self, fragment: &str) -> Option<String> {
        let fragment = fragment.trim();
        if fragment.is_empty() {
            return None;
        }
        store::unit_key_containing(self.store.conn(), fragment)
            .ok()
            .flatten()
    }

    /// Whether the code of a scan is free for the training panel: a label this station does not
    /// know yet, or a commissioned pack that is in no container and active (a pack typed by
    /// hand into a case is used; so is every known case or pallet label).
    pub fn training_code_free(&self, scan: &str) -> bool {
        match self.resolve(self.store.conn(), scan) {
            Err(_) => true,
            Ok(u) => {
                u.level == crate::domain::Level::Pack
                    && u.parent_id.is_none()
                    && u.status.is_active()
            }
        }
    }

    /// The containers being filled now, lowest level first.
    pub fn current_containers(&self) -> Vec<ContainerInfo> {
        let conn = self.store.conn();
        let mut levels: Vec<_> = self.session.current.iter().collect();
        levels.sort_by_key(|(level, _)| **level);
        levels
            .into_iter()
            .filter_map(|(_, id)| store::unit_by_id(conn, *id).ok().flatten())
            .map(|u| ContainerInfo::from(&u))
            .collect()
    }

    /// The counterfeit alerts nobody has acknowledged yet, oldest first.
    pub fn open_alerts(&self) -> Result<Vec<AlertInfo>, Box<Response>> {
        store::open_alerts(self.store.conn()).map_err(|e| {
            Box::new(Response::with_code(
                ReasonCode::StorageError,
                Some(e.to_string()),
            ))
        })
    }

    /// The ids of all work orders, sorted.
    pub fn work_order_ids(&self) -> Vec<String> {
        store::work_order_ids(self.store.conn()).unwrap_or_default()
    }

    /// All users as (user name, printed name, role), sorted by user name.
    pub fn users(&self) -> Vec<(String, String, String)> {
        store::users(self.store.conn())
            .map(|rows| {
                rows.into_iter()
                    .map(|u| (u.username, u.full_name, u.role))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The name of a product.
    pub fn product_name(&self, gtin: &str) -> Option<&str> {
        self.products.get(gtin).map(|p| p.name.as_str())
    }

    /// A station setting.
    pub fn setting(&self, key: &str) -> Option<String> {
        store::setting(self.store.conn(), key).ok().flatten()
    }

    /// Queued, sent and parked outbox batches.
    pub fn outbox_counts(&self) -> (i64, i64, i64) {
        store::outbox_counts(self.store.conn()).unwrap_or((0, 0, 0))
    }

    /// `Request::Tree`: the tree as a protocol answer.
    pub(crate) fn tree_request(&self, scan: Option<&str>) -> Outcome {
        self.require_user()?;
        let snapshot = self.tree_outcome(scan)?;
        Ok(Response::ok().data(serde_json::to_value(&snapshot).unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::station::Request;
    use crate::ui::demo;

    fn keys(tree: &TreeSnapshot) -> Vec<(u16, String, u32)> {
        tree.nodes
            .iter()
            .map(|n| (n.depth, n.key.clone(), n.descendants))
            .collect()
    }

    #[test]
    fn the_case_being_filled_shows_beside_its_pallet() {
        let dir = tempfile::tempdir().unwrap();
        let mut station = Station::open(dir.path()).unwrap();
        let r = demo::half_built_pallet(&mut station);
        assert!(r.ok, "{r:?}");
        let tree = station.tree(None).unwrap();
        let rows = keys(&tree);
        // The pallet with its two cases of 20, then the open case with its 12 packs.
        assert_eq!(rows.len(), 1 + 2 * 21 + 1 + 12);
        assert_eq!(rows[0], (0, demo::pallet_sscc(1), 42));
        assert_eq!(rows[1], (1, demo::case_sscc(1), 20));
        assert_eq!(rows[22], (1, demo::case_sscc(2), 20));
        assert_eq!(rows[43], (0, demo::case_sscc(3), 12));
        assert!(
            rows[44..]
                .iter()
                .all(|(depth, _, d)| *depth == 1 && *d == 0)
        );

        // Closed and put on the pallet, the case is shown once, inside the pallet.
        for n in 53..=60 {
            let r = station.execute(Request::Scan {
                data: demo::pack_scan(n),
            });
            assert!(r.ok, "{r:?}");
        }
        let r = station.execute(Request::Scan {
            data: demo::case_sscc(3),
        });
        assert!(r.ok, "{r:?}");
        let rows = keys(&station.tree(None).unwrap());
        assert_eq!(rows.len(), 1 + 3 * 21);
        assert_eq!(rows[0], (0, demo::pallet_sscc(1), 63));
        assert_eq!(rows[43], (1, demo::case_sscc(3), 20));

        // A look-up shows the tree above the unit scanned.
        let rows = keys(&station.tree(Some(&demo::pack_scan(3))).unwrap());
        assert_eq!(rows[0], (0, demo::pallet_sscc(1), 63));
    }
}
