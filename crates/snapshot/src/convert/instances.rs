//! Instances and network interfaces. `describe-network-interfaces` is the truth for an
//! interface (its groups, its addresses); an interface seen only inside
//! `describe-instances` is kept too, attached to that instance.

use super::{Builder, Owner, opt, origin, tags};
use crate::aws_json::{self, Str};
use crate::error::{SnapshotError, parse_json};
use crate::stream::{Elements, GiveUp};
use ringfence_model::{
    Association, Attachment, Estate, FileId, Instance, InstanceState, NetworkInterface, Origin,
    PrivateIp, ResourceKind,
};
use std::collections::{HashMap, HashSet};
use std::path::Path;

pub(super) fn instances(b: &mut Builder, bytes: &[u8], path: &Path) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::Instances;
    let file: aws_json::InstancesFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    for (r, raw) in file.reservations.into_iter().enumerate() {
        let item = reservation(raw, r, file_id);
        b.note_owner(Owner::Reservation, item.owner.as_ref());
        b.note_zone(item.zone.as_deref());
        b.estate.instances.extend(item.instances);
        b.embedded_interfaces.extend(item.interfaces);
    }
    Ok(())
}

/// One reservation's instances and the interfaces shown inside them, with what to note:
/// the reservation's `OwnerId` and the first zone of its instances.
pub(super) struct ReservationItem<'a> {
    pub owner: Option<Str<'a>>,
    pub zone: Option<String>,
    pub instances: Vec<Instance>,
    pub interfaces: Vec<NetworkInterface>,
}

/// The `r`th reservation of `describe-instances`.
fn reservation(
    reservation: aws_json::Reservation<'_>,
    r: usize,
    file_id: FileId,
) -> ReservationItem<'_> {
    let note = reservation.owner_id.clone();
    let owner = opt(reservation.owner_id);
    // Position is the reservation: the file's top-level list.
    let origin = origin(file_id, r);
    let mut item = ReservationItem {
        owner: note,
        zone: None,
        instances: Vec::with_capacity(reservation.instances.len()),
        interfaces: Vec::new(),
    };
    for raw in reservation.instances {
        let id = raw.instance_id.own();
        let zone = raw.placement.and_then(|p| opt(p.availability_zone));
        if item.zone.is_none() {
            item.zone.clone_from(&zone);
        }
        let mut interfaces: Vec<(Option<u32>, String)> = Vec::new();
        for raw_interface in raw.network_interfaces {
            let mut interface = interface(raw_interface, origin);
            let attachment = interface.attachment.get_or_insert(Attachment {
                instance_id: None,
                device_index: None,
                status: None,
            });
            attachment.instance_id.get_or_insert_with(|| id.clone());
            interfaces.push((attachment.device_index, interface.id.clone()));
            if interface.availability_zone.is_none() {
                interface.availability_zone.clone_from(&zone);
            }
            if interface.owner_id.is_none() {
                interface.owner_id.clone_from(&owner);
            }
            item.interfaces.push(interface);
        }
        interfaces.sort_by_key(|(device, _)| device.unwrap_or(u32::MAX));
        item.instances.push(Instance {
            id,
            owner_id: owner.clone(),
            state: raw
                .state
                .and_then(|s| s.name)
                .map(|name| InstanceState::from_aws(&name))
                .unwrap_or_else(|| InstanceState::Other("unknown".to_string())),
            instance_type: opt(raw.instance_type),
            vpc_id: opt(raw.vpc_id),
            subnet_id: opt(raw.subnet_id),
            private_ip: raw.private_ip_address.0,
            public_ip: raw.public_ip_address.0,
            security_groups: raw
                .security_groups
                .into_iter()
                .filter_map(|g| opt(g.group_id))
                .collect(),
            network_interfaces: interfaces.into_iter().map(|(_, id)| id).collect(),
            tags: tags(raw.tags),
            origin,
        });
    }
    item
}

/// The reservations of `describe-instances`, streamed.
pub(super) struct ReservationElements {
    pub file_id: FileId,
}

impl Elements for ReservationElements {
    type Item<'a> = ReservationItem<'a>;

    fn convert<'a>(&self, r: usize, element: &'a [u8]) -> Result<Self::Item<'a>, GiveUp> {
        let raw: aws_json::Reservation<'a> =
            serde_json::from_slice(element).map_err(|_| GiveUp::Shape)?;
        Ok(reservation(raw, r, self.file_id))
    }
}

/// The interfaces of `describe-network-interfaces`, streamed; each with its `OwnerId`
/// and zone to note.
pub(super) struct InterfaceElements {
    pub file_id: FileId,
}

impl Elements for InterfaceElements {
    type Item<'a> = (NetworkInterface, Option<Str<'a>>, Option<Str<'a>>);

    fn convert<'a>(&self, i: usize, element: &'a [u8]) -> Result<Self::Item<'a>, GiveUp> {
        let raw: aws_json::NetworkInterface<'a> =
            serde_json::from_slice(element).map_err(|_| GiveUp::Shape)?;
        let (owner, zone) = (raw.owner_id.clone(), raw.availability_zone.clone());
        Ok((interface(raw, origin(self.file_id, i)), owner, zone))
    }
}

pub(super) fn network_interfaces(
    b: &mut Builder,
    bytes: &[u8],
    path: &Path,
) -> Result<(), SnapshotError> {
    const KIND: ResourceKind = ResourceKind::NetworkInterfaces;
    let file: aws_json::NetworkInterfacesFile = parse_json(bytes, path, KIND)?;
    let file_id = b.file(path);
    b.note_next_token(KIND, None, file.next_token.as_ref());
    b.estate
        .network_interfaces
        .reserve(file.network_interfaces.len());
    for (i, raw) in file.network_interfaces.into_iter().enumerate() {
        b.note_owner(Owner::Interface, raw.owner_id.as_ref());
        b.note_zone(raw.availability_zone.as_deref());
        let interface = interface(raw, origin(file_id, i));
        b.estate.network_interfaces.push(interface);
    }
    Ok(())
}

fn interface(raw: aws_json::NetworkInterface, origin: Origin) -> NetworkInterface {
    let mut private_ips: Vec<PrivateIp> = raw
        .private_ip_addresses
        .into_iter()
        .map(|ip| PrivateIp {
            address: ip.private_ip_address.0,
            primary: ip.primary.unwrap_or(false),
            association: ip.association.and_then(association),
        })
        .collect();
    if private_ips.is_empty() && raw.private_ip_address.0.is_some() {
        private_ips.push(PrivateIp {
            address: raw.private_ip_address.0,
            primary: true,
            association: None,
        });
    }
    // The interface-level association belongs to the primary address; describe output
    // (moto's, and AWS's for some interface types) may show it only there.
    if let Some(association) = raw.association.and_then(association) {
        let primary = match private_ips.iter().position(|ip| ip.primary) {
            Some(index) => Some(index),
            None => (!private_ips.is_empty()).then_some(0),
        };
        match primary {
            Some(index) => {
                let ip = &mut private_ips[index];
                if ip.association.is_none() {
                    ip.association = Some(association);
                }
            }
            None => private_ips.push(PrivateIp {
                address: None,
                primary: true,
                association: Some(association),
            }),
        }
    }
    NetworkInterface {
        id: raw.network_interface_id.own(),
        subnet_id: opt(raw.subnet_id),
        vpc_id: opt(raw.vpc_id),
        owner_id: opt(raw.owner_id),
        availability_zone: opt(raw.availability_zone),
        interface_type: opt(raw.interface_type),
        status: opt(raw.status),
        description: opt(raw.description),
        groups: raw
            .groups
            .into_iter()
            .filter_map(|g| opt(g.group_id))
            .collect(),
        private_ips,
        ipv6_addresses: raw
            .ipv6_addresses
            .into_iter()
            .map(|a| a.ipv6_address.0)
            .collect(),
        attachment: raw.attachment.map(|a| Attachment {
            instance_id: opt(a.instance_id),
            device_index: a.device_index,
            status: opt(a.status),
        }),
        tags: tags(raw.tag_set),
        origin,
    }
}

/// `None` for an association without a public address (`"Association": {}`).
fn association(raw: aws_json::Association) -> Option<Association> {
    Some(Association {
        public_ip: raw.public_ip.0?,
        allocation_id: opt(raw.allocation_id),
        association_id: opt(raw.association_id),
        ip_owner_id: opt(raw.ip_owner_id),
    })
}

/// Adds the interfaces seen only inside instances, then lists each instance's interfaces
/// from all that is known, primary (device index 0) first.
pub(super) fn merge_embedded_interfaces(estate: &mut Estate, embedded: Vec<NetworkInterface>) {
    let known: HashSet<&str> = estate
        .network_interfaces
        .iter()
        .map(|n| n.id.as_str())
        .collect();
    let fresh: Vec<bool> = embedded
        .iter()
        .map(|n| !known.contains(n.id.as_str()))
        .collect();
    let mut seen = HashSet::new();
    let added: Vec<NetworkInterface> = embedded
        .into_iter()
        .zip(fresh)
        .filter(|(n, fresh)| *fresh && seen.insert(n.id.clone()))
        .map(|(n, _)| n)
        .collect();
    estate.network_interfaces.extend(added);

    let Estate {
        network_interfaces,
        instances,
        ..
    } = estate;
    let mut of_instance: HashMap<&str, Vec<(u32, usize)>> = HashMap::new();
    for (i, interface) in network_interfaces.iter().enumerate() {
        if let Some(attachment) = &interface.attachment
            && let Some(instance) = attachment.instance_id.as_deref()
        {
            let device = attachment.device_index.unwrap_or(u32::MAX);
            of_instance.entry(instance).or_default().push((device, i));
        }
    }
    for instance in instances.iter_mut() {
        if let Some(list) = of_instance.get_mut(instance.id.as_str()) {
            list.sort_unstable();
            instance.network_interfaces = list
                .iter()
                .map(|&(_, i)| network_interfaces[i].id.clone())
                .collect();
        }
    }
}
