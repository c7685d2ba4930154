//! Lookups the network path needs, built once: each subnet's route table and network
//! ACL (explicit association, else its own VPC's main table or default ACL), gateways,
//! Elastic IPs, and which inputs were missing.

use ringfence_model::FastMap;
use ringfence_model::{Estate, ResourceKind, ScopeId};
use std::collections::HashSet;

type Key<'a> = (ScopeId, &'a str);

#[derive(Debug)]
pub struct Network<'e> {
    pub estate: &'e Estate,
    subnets: FastMap<Key<'e>, usize>,
    explicit_route_table: FastMap<Key<'e>, usize>,
    main_route_table: FastMap<Key<'e>, usize>,
    explicit_acl: FastMap<Key<'e>, usize>,
    default_acl: FastMap<Key<'e>, usize>,
    internet_gateways: FastMap<Key<'e>, usize>,
    elastic_ips_by_interface: FastMap<Key<'e>, Vec<usize>>,
    elastic_ips_by_instance: FastMap<Key<'e>, Vec<usize>>,
    instances: FastMap<Key<'e>, usize>,
    prefix_lists: FastMap<Key<'e>, usize>,
    missing: HashSet<(ScopeId, ResourceKind)>,
}

impl<'e> Network<'e> {
    pub fn of(estate: &'e Estate) -> Self {
        let mut net = Network {
            estate,
            subnets: FastMap::default(),
            explicit_route_table: FastMap::default(),
            main_route_table: FastMap::default(),
            explicit_acl: FastMap::default(),
            default_acl: FastMap::default(),
            internet_gateways: FastMap::default(),
            elastic_ips_by_interface: FastMap::default(),
            elastic_ips_by_instance: FastMap::default(),
            instances: FastMap::default(),
            prefix_lists: FastMap::default(),
            missing: estate
                .incomplete
                .iter()
                .filter(|gap| gap.subject.is_none())
                .map(|gap| (gap.scope, gap.kind))
                .collect(),
        };
        for (i, subnet) in estate.subnets.iter().enumerate() {
            net.subnets.insert((subnet.origin.scope, &subnet.id), i);
        }
        for (i, table) in estate.route_tables.iter().enumerate() {
            let scope = table.origin.scope;
            for association in &table.associations {
                if association.main {
                    net.main_route_table.insert((scope, &table.vpc_id), i);
                }
                if let Some(subnet) = &association.subnet_id {
                    net.explicit_route_table.insert((scope, subnet), i);
                }
            }
        }
        for (i, acl) in estate.network_acls.iter().enumerate() {
            let scope = acl.origin.scope;
            if acl.is_default {
                net.default_acl.insert((scope, &acl.vpc_id), i);
            }
            for subnet in &acl.subnet_ids {
                net.explicit_acl.insert((scope, subnet), i);
            }
        }
        for (i, igw) in estate.internet_gateways.iter().enumerate() {
            net.internet_gateways.insert((igw.origin.scope, &igw.id), i);
        }
        for (i, address) in estate.addresses.iter().enumerate() {
            let scope = address.origin.scope;
            if address.association_id.is_none()
                && address.network_interface_id.is_none()
                && address.instance_id.is_none()
            {
                continue;
            }
            if let Some(eni) = &address.network_interface_id {
                net.elastic_ips_by_interface
                    .entry((scope, eni))
                    .or_default()
                    .push(i);
            } else if let Some(instance) = &address.instance_id {
                net.elastic_ips_by_instance
                    .entry((scope, instance))
                    .or_default()
                    .push(i);
            }
        }
        for (i, instance) in estate.instances.iter().enumerate() {
            net.instances
                .insert((instance.origin.scope, &instance.id), i);
        }
        for (i, list) in estate.prefix_lists.iter().enumerate() {
            net.prefix_lists.insert((list.origin.scope, &list.id), i);
        }
        net
    }

    pub fn is_missing(&self, scope: ScopeId, kind: ResourceKind) -> bool {
        self.missing.contains(&(scope, kind))
    }

    pub fn subnet(&self, scope: ScopeId, id: &str) -> Option<usize> {
        self.subnets.get(&(scope, id)).copied()
    }

    /// The subnet's own association, else the main table of the subnet's VPC — never
    /// another VPC's.
    pub fn route_table(&self, scope: ScopeId, subnet: &str, vpc: &str) -> Option<(usize, bool)> {
        match self.explicit_route_table.get(&(scope, subnet)) {
            Some(&table) => Some((table, true)),
            None => self
                .main_route_table
                .get(&(scope, vpc))
                .map(|&table| (table, false)),
        }
    }

    pub fn network_acl(&self, scope: ScopeId, subnet: &str, vpc: &str) -> Option<usize> {
        self.explicit_acl
            .get(&(scope, subnet))
            .or_else(|| self.default_acl.get(&(scope, vpc)))
            .copied()
    }

    pub fn internet_gateway(&self, scope: ScopeId, id: &str) -> Option<usize> {
        self.internet_gateways.get(&(scope, id)).copied()
    }

    /// Elastic IPs associated with the interface, or with the instance when AWS names
    /// only the instance (EC2-Classic style associations).
    pub fn elastic_ips(
        &self,
        scope: ScopeId,
        interface: Option<&str>,
        instance: Option<&str>,
    ) -> Vec<usize> {
        let by_interface = interface.and_then(|id| self.elastic_ips_by_interface.get(&(scope, id)));
        let by_instance = instance.and_then(|id| self.elastic_ips_by_instance.get(&(scope, id)));
        by_interface
            .into_iter()
            .chain(by_instance)
            .flatten()
            .copied()
            .collect()
    }

    pub fn prefix_list(&self, scope: ScopeId, id: &str) -> Option<usize> {
        self.prefix_lists.get(&(scope, id)).copied()
    }

    pub fn instance(&self, scope: ScopeId, id: &str) -> Option<usize> {
        self.instances.get(&(scope, id)).copied()
    }
}
