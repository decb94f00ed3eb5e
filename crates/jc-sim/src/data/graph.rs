//! The association graph: direct edges (`/members`, `/associations`) and traversals with paths
//! (`/membership`, `/memberof`, `/users`, `/usergroups`, ...).
//!
//! A path lists the hops from the object asked about to the result, each hop a GraphConnection
//! `{"attributes": null, "to": {"attributes": null, "id", "type"}}`; its last hop is the result itself.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, PoisonError};

use serde_json::{json, Value};

use super::ids::ObjectId;
use super::OrgData;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    User,
    UserGroup,
    System,
    SystemGroup,
    Application,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::User => "user",
            Kind::UserGroup => "user_group",
            Kind::System => "system",
            Kind::SystemGroup => "system_group",
            Kind::Application => "application",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Node {
    pub id: ObjectId,
    pub kind: Kind,
}

impl Node {
    /// A GraphConnection pointing at this node.
    pub fn connection_json(&self) -> Value {
        json!({"attributes": null, "to": {"attributes": null, "id": self.id.to_string(), "type": self.kind.as_str()}})
    }
}

/// A traversal result: a GraphObjectWithPaths.
#[derive(Debug, Clone)]
pub struct Reached {
    pub node: Node,
    pub paths: Vec<Vec<Node>>,
}

impl Reached {
    pub fn to_json(&self) -> Value {
        let paths: Vec<Value> = self
            .paths
            .iter()
            .map(|path| Value::Array(path.iter().map(Node::connection_json).collect()))
            .collect();
        json!({"compiledAttributes": null, "id": self.node.id.to_string(), "paths": paths, "type": self.node.kind.as_str()})
    }
}

/// Remembers the big user traversals (tens of thousands of members for large orgs), so paging
/// through them doesn't redo the walk for every page. The data never changes, so entries never go stale.
#[derive(Default)]
pub struct TraversalCache {
    entries: Mutex<HashMap<TraversalKey, Arc<Vec<Reached>>>>,
}

/// Which traversal, and of which object (its index).
pub type TraversalKey = (&'static str, usize);

impl TraversalCache {
    const CAPACITY: usize = 16;

    pub fn get_or_compute(
        &self,
        key: (&'static str, usize),
        compute: impl FnOnce() -> Vec<Reached>,
    ) -> Arc<Vec<Reached>> {
        if let Some(hit) = self
            .entries
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(&key)
        {
            return Arc::clone(hit);
        }
        let computed = Arc::new(compute());
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        if entries.len() >= Self::CAPACITY {
            entries.clear();
        }
        entries.insert(key, Arc::clone(&computed));
        computed
    }
}

/// Collects paths per reached node, in id order.
#[derive(Default)]
struct Collector(BTreeMap<Node, Vec<Vec<Node>>>);

impl Collector {
    fn add(&mut self, path: Vec<Node>) {
        if let Some(last) = path.last() {
            self.0.entry(*last).or_default().push(path);
        }
    }

    fn finish(self) -> Vec<Reached> {
        self.0
            .into_iter()
            .map(|(node, paths)| Reached { node, paths })
            .collect()
    }
}

pub struct Graph<'a> {
    data: &'a OrgData,
}

impl<'a> Graph<'a> {
    pub fn new(data: &'a OrgData) -> Self {
        Graph { data }
    }

    pub fn user(&self, index: u32) -> Option<Node> {
        self.data.users.get(index as usize).map(|u| Node {
            id: u.id,
            kind: Kind::User,
        })
    }

    pub fn user_group(&self, index: u32) -> Option<Node> {
        self.data.user_groups.get(index as usize).map(|g| Node {
            id: g.id,
            kind: Kind::UserGroup,
        })
    }

    pub fn system(&self, index: u32) -> Option<Node> {
        self.data.systems.get(index as usize).map(|s| Node {
            id: s.id,
            kind: Kind::System,
        })
    }

    pub fn system_group(&self, index: u32) -> Option<Node> {
        self.data.system_groups.get(index as usize).map(|g| Node {
            id: g.id,
            kind: Kind::SystemGroup,
        })
    }

    /// Direct members of a user group: users and nested user groups, in id order.
    pub fn user_group_members(&self, group: usize) -> Vec<Node> {
        let Some(g) = self.data.user_groups.get(group) else {
            return Vec::new();
        };
        let mut nodes: Vec<Node> = g
            .users
            .iter()
            .filter_map(|u| self.user(*u))
            .chain(g.groups.iter().filter_map(|n| self.user_group(*n)))
            .collect();
        nodes.sort();
        nodes
    }

    /// Direct edges from an object to its bound user groups, users and device groups.
    pub fn bindings(
        &self,
        user_groups: &[u32],
        users: &[u32],
        system_groups: &[u32],
        kinds: &[Kind],
    ) -> Vec<Node> {
        let mut nodes = Vec::new();
        if kinds.contains(&Kind::UserGroup) {
            nodes.extend(user_groups.iter().filter_map(|g| self.user_group(*g)));
        }
        if kinds.contains(&Kind::User) {
            nodes.extend(users.iter().filter_map(|u| self.user(*u)));
        }
        if kinds.contains(&Kind::SystemGroup) {
            nodes.extend(system_groups.iter().filter_map(|g| self.system_group(*g)));
        }
        nodes.sort();
        nodes.dedup();
        nodes
    }

    /// Users reachable from a group through nested groups, each path starting below the group.
    pub fn users_in_group(&self, group: usize) -> Vec<Reached> {
        let mut out = Collector::default();
        self.walk_down(
            group,
            &mut Vec::new(),
            &mut vec![false; self.data.user_groups.len()],
            &mut |path| {
                if path.last().is_some_and(|n| n.kind == Kind::User) {
                    out.add(path);
                }
            },
        );
        out.finish()
    }

    /// User groups reachable from groups bound to something (the bound ones and those nested inside).
    pub fn groups_below(&self, bound: &[u32]) -> Vec<Reached> {
        let mut out = Collector::default();
        for g in bound {
            let Some(top) = self.user_group(*g) else {
                continue;
            };
            out.add(vec![top]);
            self.walk_down(
                *g as usize,
                &mut vec![top],
                &mut vec![false; self.data.user_groups.len()],
                &mut |path| {
                    if path.last().is_some_and(|n| n.kind == Kind::UserGroup) {
                        out.add(path);
                    }
                },
            );
        }
        out.finish()
    }

    /// Users reachable from something bound to user groups and users.
    pub fn users_via(&self, user_groups: &[u32], users: &[u32]) -> Vec<Reached> {
        let mut out = Collector::default();
        for u in users {
            if let Some(user) = self.user(*u) {
                out.add(vec![user]);
            }
        }
        for g in user_groups {
            let Some(top) = self.user_group(*g) else {
                continue;
            };
            self.walk_down(
                *g as usize,
                &mut vec![top],
                &mut vec![false; self.data.user_groups.len()],
                &mut |path| {
                    if path.last().is_some_and(|n| n.kind == Kind::User) {
                        out.add(path);
                    }
                },
            );
        }
        out.finish()
    }

    /// Depth-first below `group`, calling `visit` with every path (prefix + hop).
    fn walk_down(
        &self,
        group: usize,
        prefix: &mut Vec<Node>,
        on_stack: &mut Vec<bool>,
        visit: &mut dyn FnMut(Vec<Node>),
    ) {
        let Some(g) = self.data.user_groups.get(group) else {
            return;
        };
        if on_stack.get(group).copied().unwrap_or(true) {
            return;
        }
        if let Some(flag) = on_stack.get_mut(group) {
            *flag = true;
        }
        for user in g.users.iter().filter_map(|u| self.user(*u)) {
            let mut path = prefix.clone();
            path.push(user);
            visit(path);
        }
        for nested in &g.groups {
            let Some(node) = self.user_group(*nested) else {
                continue;
            };
            prefix.push(node);
            visit(prefix.clone());
            self.walk_down(*nested as usize, prefix, on_stack, visit);
            prefix.pop();
        }
        if let Some(flag) = on_stack.get_mut(group) {
            *flag = false;
        }
    }

    /// Groups a user belongs to, directly or through nesting; paths go upward from the user.
    pub fn groups_of_user(&self, user: u32) -> Vec<Reached> {
        let mut out = Collector::default();
        let mut frontier: Vec<Vec<Node>> = Vec::new();
        for (g, group) in self.data.user_groups.iter().enumerate() {
            if group.users.binary_search(&user).is_ok() {
                if let Some(node) = u32::try_from(g).ok().and_then(|g| self.user_group(g)) {
                    frontier.push(vec![node]);
                }
            }
        }
        // Nesting is shallow and acyclic by construction, but bound the climb anyway.
        for _ in 0..=self.data.user_groups.len() {
            if frontier.is_empty() {
                break;
            }
            let mut next = Vec::new();
            for path in frontier {
                let Some(last) = path.last().copied() else {
                    continue;
                };
                for (p, parent) in self.data.user_groups.iter().enumerate() {
                    let contains = parent
                        .groups
                        .iter()
                        .any(|c| self.user_group(*c) == Some(last));
                    if let (true, Some(node)) = (
                        contains,
                        u32::try_from(p).ok().and_then(|p| self.user_group(p)),
                    ) {
                        if !path.contains(&node) {
                            let mut longer = path.clone();
                            longer.push(node);
                            next.push(longer);
                        }
                    }
                }
                out.add(path);
            }
            frontier = next;
        }
        out.finish()
    }

    /// Things bound to user groups or users (apps, servers) that a user reaches.
    pub fn bound_reached_by_user<'b>(
        &self,
        user: u32,
        targets: impl Iterator<Item = (Node, &'b [u32], &'b [u32])>,
    ) -> Vec<Reached> {
        let memberships = self.groups_of_user(user);
        let mut out = Collector::default();
        for (target, user_groups, users) in targets {
            if users.contains(&user) {
                out.add(vec![target]);
            }
            for g in user_groups {
                let Some(group) = self.user_group(*g) else {
                    continue;
                };
                for reached in memberships.iter().filter(|r| r.node == group) {
                    for path in &reached.paths {
                        let mut longer = path.clone();
                        longer.push(target);
                        out.add(longer);
                    }
                }
            }
        }
        out.finish()
    }

    /// Single-hop results: each node reached by one path made of itself.
    pub fn direct(nodes: impl IntoIterator<Item = Node>) -> Vec<Reached> {
        let mut out = Collector::default();
        for node in nodes {
            out.add(vec![node]);
        }
        out.finish()
    }

    pub fn applications_of_user(&self, user: u32) -> Vec<Reached> {
        let apps = self.data.apps.iter().map(|a| {
            (
                Node {
                    id: a.id,
                    kind: Kind::Application,
                },
                a.user_groups.as_slice(),
                a.users.as_slice(),
            )
        });
        self.bound_reached_by_user(user, apps)
    }

    pub fn systems_of_user(&self, user: u32) -> Vec<Reached> {
        Graph::direct(
            self.data
                .systems
                .iter()
                .filter(|s| s.users.binary_search(&user).is_ok())
                .map(|s| Node {
                    id: s.id,
                    kind: Kind::System,
                }),
        )
    }

    pub fn users_of_system(&self, system: usize) -> Vec<Reached> {
        let users = self
            .data
            .systems
            .get(system)
            .map(|s| s.users.as_slice())
            .unwrap_or_default();
        Graph::direct(users.iter().filter_map(|u| self.user(*u)))
    }

    pub fn groups_of_system(&self, system: u32) -> Vec<Reached> {
        Graph::direct(
            self.data
                .system_groups
                .iter()
                .filter(|g| g.systems.binary_search(&system).is_ok())
                .map(|g| Node {
                    id: g.id,
                    kind: Kind::SystemGroup,
                }),
        )
    }

    pub fn system_group_members(&self, group: usize) -> Vec<Node> {
        let systems = self
            .data
            .system_groups
            .get(group)
            .map(|g| g.systems.as_slice())
            .unwrap_or_default();
        systems.iter().filter_map(|s| self.system(*s)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SimConfig;
    use crate::data::generate;

    #[test]
    fn nested_group_members_show_up_with_longer_paths() {
        let world = generate(&SimConfig::default()).expect("generates");
        let data = &world.orgs[0].data;
        let graph = Graph::new(data);
        let on_call = data.user_groups[3].id;
        let engineering = graph.users_in_group(1);
        let via_on_call = engineering
            .iter()
            .flat_map(|r| r.paths.iter())
            .find(|p| p.len() == 3)
            .expect("Engineering ⊃ Platform Team ⊃ On-Call gives three-hop paths");
        assert_eq!(via_on_call[1].id, on_call);
        assert_eq!(via_on_call[2].kind, Kind::User);
        assert!(
            graph.users_in_group(data.user_groups.len() - 1).is_empty(),
            "the last group is empty"
        );
    }

    #[test]
    fn a_user_in_on_call_is_member_of_engineering_through_two_hops() {
        let world = generate(&SimConfig::default()).expect("generates");
        let data = &world.orgs[0].data;
        let graph = Graph::new(data);
        let user = *data.user_groups[3]
            .users
            .first()
            .expect("On-Call has members");
        let groups = graph.groups_of_user(user);
        let engineering = groups
            .iter()
            .find(|r| r.node.id == data.user_groups[1].id)
            .expect("reaches Engineering");
        assert!(engineering.paths.iter().any(|p| p.len() == 3));
    }
}
