//! Read-only view models for the GUI: the live tree of a container (pallet → cases → packs), the
//! containers being filled and the open counterfeit alerts. Nothing here changes state.

use super::{ContainerInfo, Failure, Outcome, Response, Station};
use crate::domain::{ReasonCode, UnitView};
use crate::store;
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
}

/// A whole container tree, root first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct TreeSnapshot {
    /// The rows in pre-order; empty when there is nothing to show.
    pub nodes: Vec<TreeNode>,
}

/// An open counterfeit alert.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AlertInfo {
    /// Alert id (for `acknowledge_alert`).
    pub id: i64,
    /// Reason code string, e.g. `UNKNOWN_SERIAL`.
    pub code: String,
    /// What was scanned.
    pub detail: String,
    /// When (Unix ms).
    pub time_ms: i64,
}

fn node(u: &UnitView, depth: u16) -> TreeNode {
    TreeNode {
        key: u.key.clone(),
        level: u.level.as_str(),
        status: u.status.as_str(),
        depth,
        count: u.child_count,
        capacity: u.capacity,
        state: u.state.map(|s| s.as_str()),
        descendants: 0,
    }
}

impl Station {
    /// The tree of the topmost container above `scan` (or above the container being filled when
    /// `scan` is `None`). An empty snapshot when nothing is being filled.
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
        let start = match scan {
            Some(s) => self.resolve(conn, s)?,
            None => {
                let highest = self
                    .session
                    .current
                    .iter()
                    .max_by_key(|(level, _)| **level)
                    .map(|(_, id)| *id);
                let Some(id) = highest else {
                    return Ok(TreeSnapshot::default());
                };
                let Some(u) = store::unit_by_id(conn, id)? else {
                    return Ok(TreeSnapshot::default());
                };
                u
            }
        };
        let root = store::ancestors(conn, &start)?.pop().unwrap_or(start);
        let all = store::subtree(conn, root.id)?;
        let mut kids: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, u) in all.iter().enumerate() {
            if let Some(p) = u.parent_id {
                kids.entry(p).or_default().push(i);
            }
        }
        let mut nodes = Vec::with_capacity(all.len() + 1);
        nodes.push(node(&root, 0));
        // Iterative pre-order walk; `open` holds (node index, unit id) whose subtree is pending.
        let mut stack: Vec<(i64, u16, usize)> = vec![(root.id, 0, 0)];
        let mut open_rows: Vec<usize> = vec![0];
        while let Some((id, depth, next)) = stack.pop() {
            let children = kids.get(&id).map_or(&[][..], Vec::as_slice);
            if let Some(&child) = children.get(next) {
                stack.push((id, depth, next + 1));
                let u = &all[child];
                open_rows.push(nodes.len());
                nodes.push(node(u, depth + 1));
                stack.push((u.id, depth + 1, 0));
            } else if let Some(row) = open_rows.pop() {
                let below = nodes.len() - row - 1;
                if let Some(n) = nodes.get_mut(row) {
                    n.descendants = u32::try_from(below).unwrap_or(u32::MAX);
                }
            }
        }
        Ok(TreeSnapshot { nodes })
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
        let run = || -> Result<Vec<AlertInfo>, rusqlite::Error> {
            let mut st = self.store.conn().prepare_cached(
                "SELECT id, code, detail, time_ms FROM alerts WHERE acknowledged_by IS NULL ORDER BY id",
            )?;
            let rows = st.query_map([], |r| {
                Ok(AlertInfo {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    detail: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    time_ms: r.get(3)?,
                })
            })?;
            rows.collect()
        };
        run().map_err(|e| {
            Box::new(Response::with_code(
                ReasonCode::StorageError,
                Some(e.to_string()),
            ))
        })
    }

    /// The ids of all work orders, sorted.
    pub fn work_order_ids(&self) -> Vec<String> {
        let run = || -> Result<Vec<String>, rusqlite::Error> {
            let mut st = self
                .store
                .conn()
                .prepare_cached("SELECT id FROM work_orders ORDER BY id")?;
            let rows = st.query_map([], |r| r.get(0))?;
            rows.collect()
        };
        run().unwrap_or_default()
    }

    /// All users as (user name, printed name, role), sorted by user name.
    pub fn users(&self) -> Vec<(String, String, String)> {
        let run = || -> Result<Vec<(String, String, String)>, rusqlite::Error> {
            let mut st = self
                .store
                .conn()
                .prepare_cached("SELECT username, full_name, role FROM users ORDER BY username")?;
            let rows = st.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
            rows.collect()
        };
        run().unwrap_or_default()
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
