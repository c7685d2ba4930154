//! The whole estate evaluated once: every group's ingress, every instance's union.

use crate::rules::flatten;
use crate::{FlatRule, Profile};
use rayon::prelude::*;
use ringfence_model::{Estate, FastMap, Instance};
use std::sync::Arc;

/// The groups one network interface carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterfaceGroups {
    /// Index into `estate.network_interfaces`; `None` when the instance's interfaces are
    /// unknown and its own group list stands in for them.
    pub interface: Option<usize>,
    /// Indices into `estate.security_groups`.
    pub groups: Vec<u32>,
}

#[derive(Clone, Debug)]
pub struct InstanceExposure {
    pub interfaces: Vec<InterfaceGroups>,
    /// Every group on any interface, once, sorted.
    pub groups: Vec<u32>,
    /// Group ids an interface names that the estate does not hold: what they allow is unknown.
    pub missing_groups: Vec<String>,
    /// The union over all interfaces of the rules that admit public addresses, or might
    /// (an unresolved source): all that any question about the internet needs, shared
    /// between instances whose groups have the same such rules. Rules that admit only
    /// private addresses or other groups never change how the internet gets in, and most
    /// instances have nothing else, so leaving them out saves building a profile per
    /// instance. [`Evaluation::profile_of`] gives the full union of any groups.
    pub internet: Arc<Profile>,
}

/// Where a group is applied: an interface (and the instance it is attached to), or an
/// instance whose interfaces are unknown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Placement {
    pub interface: Option<usize>,
    pub instance: Option<usize>,
}

/// Exposure of every group and instance, computed once and read by every check.
#[derive(Clone, Debug)]
pub struct Evaluation {
    /// Per security group (same index as `estate.security_groups`), its resolved ingress rules.
    pub group_rules: Vec<Vec<FlatRule>>,
    /// Per security group, what it lets in on its own.
    pub groups: Vec<Profile>,
    /// Per instance (same index as `estate.instances`).
    pub instances: Vec<InstanceExposure>,
    /// Per security group, every place it is applied; empty for a group attached to nothing.
    pub placements: Vec<Vec<Placement>>,
}

impl Evaluation {
    pub fn of(estate: &Estate) -> Self {
        let index = estate.index();
        let group_rules: Vec<Vec<FlatRule>> = estate
            .security_groups
            .par_iter()
            .enumerate()
            .map(|(i, group)| flatten(i as u32, group, &estate.prefix_lists, &index))
            .collect();
        let groups: Vec<Profile> = group_rules
            .par_iter()
            .map(|rules| Profile::of(rules.iter()))
            .collect();

        let attachments: Vec<(Vec<InterfaceGroups>, Vec<String>)> = estate
            .instances
            .par_iter()
            .map(|instance| interfaces_of(estate, &index, instance))
            .collect();
        let internet = |rule: &&FlatRule| rule.admits_internet();
        let open_groups: Vec<bool> = group_rules
            .par_iter()
            .map(|rules| rules.iter().any(|r| internet(&r)))
            .collect();
        let keys: Vec<Vec<u32>> = attachments
            .iter()
            .map(|(interfaces, _)| {
                let mut groups: Vec<u32> = interfaces
                    .iter()
                    .flat_map(|i| i.groups.iter().copied())
                    .collect();
                groups.sort_unstable();
                groups.dedup();
                groups
            })
            .collect();
        // Instances share a profile when their groups with internet rules are the same.
        let open_key = |key: &Vec<u32>| -> Vec<u32> {
            key.iter()
                .copied()
                .filter(|&g| open_groups[g as usize])
                .collect()
        };
        let open_keys: Vec<Vec<u32>> = keys.iter().map(open_key).collect();
        let mut order: Vec<usize> = (0..open_keys.len()).collect();
        order.sort_unstable_by(|&a, &b| open_keys[a].cmp(&open_keys[b]));
        let mut unique: Vec<&Vec<u32>> = Vec::new();
        let mut slot = vec![0usize; open_keys.len()];
        for i in order {
            if unique.last() != Some(&&open_keys[i]) {
                unique.push(&open_keys[i]);
            }
            slot[i] = unique.len() - 1;
        }
        let profiles: Vec<Arc<Profile>> = unique
            .par_iter()
            .map(|key| {
                let rules = key
                    .iter()
                    .flat_map(|&g| group_rules[g as usize].iter())
                    .filter(internet);
                Arc::new(Profile::of(rules))
            })
            .collect();
        let instances: Vec<InstanceExposure> = attachments
            .into_iter()
            .zip(keys)
            .zip(slot)
            .map(
                |(((interfaces, missing_groups), groups), at)| InstanceExposure {
                    interfaces,
                    groups,
                    missing_groups,
                    internet: Arc::clone(&profiles[at]),
                },
            )
            .collect();
        let placements = placements(estate, &index, &instances);
        Evaluation {
            group_rules,
            groups,
            instances,
            placements,
        }
    }

    /// What a set of groups lets in together (an interface's groups, say).
    pub fn profile_of(&self, groups: &[u32]) -> Profile {
        Profile::of(
            groups
                .iter()
                .flat_map(|&g| self.group_rules[g as usize].iter()),
        )
    }

    /// What a set of groups lets in from the internet, as [`InstanceExposure::internet`]
    /// is for a whole instance.
    pub fn internet_profile_of(&self, groups: &[u32]) -> Profile {
        Profile::of(
            groups
                .iter()
                .flat_map(|&g| self.group_rules[g as usize].iter())
                .filter(|rule| rule.admits_internet()),
        )
    }
}

fn placements(
    estate: &Estate,
    index: &ringfence_model::EstateIndex<'_>,
    instances: &[InstanceExposure],
) -> Vec<Vec<Placement>> {
    let instance_of: FastMap<(ringfence_model::ScopeId, &str), usize> = estate
        .instances
        .iter()
        .enumerate()
        .map(|(i, instance)| ((instance.origin.scope, instance.id.as_str()), i))
        .collect();
    let mut placements = vec![Vec::new(); estate.security_groups.len()];
    for (i, eni) in estate.network_interfaces.iter().enumerate() {
        let scope = eni.origin.scope;
        let instance = eni
            .attachment
            .as_ref()
            .and_then(|a| a.instance_id.as_deref())
            .and_then(|id| instance_of.get(&(scope, id)).copied());
        // A terminated instance's interface carries nothing any more.
        if instance.is_some_and(|i| estate.instances[i].state.is_gone()) {
            continue;
        }
        for group in &eni.groups {
            if let Some(&g) = index.security_groups.get(&(scope, group.as_str())) {
                placements[g].push(Placement {
                    interface: Some(i),
                    instance,
                });
            }
        }
    }
    for (i, exposure) in instances.iter().enumerate() {
        if estate.instances[i].state.is_gone() {
            continue;
        }
        for interface in exposure.interfaces.iter().filter(|f| f.interface.is_none()) {
            for &g in &interface.groups {
                placements[g as usize].push(Placement {
                    interface: None,
                    instance: Some(i),
                });
            }
        }
    }
    placements
}

/// An instance's interfaces with their groups: each interface's own list is the truth
/// (an instance's top-level list may be empty or partial); the top-level list stands in
/// only when no interface is known.
fn interfaces_of(
    estate: &Estate,
    index: &ringfence_model::EstateIndex<'_>,
    instance: &Instance,
) -> (Vec<InterfaceGroups>, Vec<String>) {
    let scope = instance.origin.scope;
    let mut enis: Vec<usize> = index
        .interfaces_of_instance
        .get(&(scope, instance.id.as_str()))
        .cloned()
        .unwrap_or_default();
    for id in &instance.network_interfaces {
        if let Some(&i) = index.network_interfaces.get(&(scope, id.as_str()))
            && !enis.contains(&i)
        {
            enis.push(i);
        }
    }
    let mut missing = Vec::new();
    let mut lookup = |ids: &[String]| -> Vec<u32> {
        ids.iter()
            .filter_map(
                |id| match index.security_groups.get(&(scope, id.as_str())) {
                    Some(&g) => Some(g as u32),
                    None => {
                        if !missing.contains(id) {
                            missing.push(id.clone());
                        }
                        None
                    }
                },
            )
            .collect()
    };
    let interfaces = if enis.is_empty() {
        vec![InterfaceGroups {
            interface: None,
            groups: lookup(&instance.security_groups),
        }]
    } else {
        enis.into_iter()
            .map(|i| InterfaceGroups {
                interface: Some(i),
                groups: lookup(&estate.network_interfaces[i].groups),
            })
            .collect()
    };
    (interfaces, missing)
}
