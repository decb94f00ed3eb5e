//! Each area of the permission view in words, and the check that proves it readable.

use jc_api::calls::Area;

use crate::checks::Probe;

/// The check whose result says whether `area` could be read.
pub fn check_id(area: Area) -> String {
    match (area, Probe::of_area(area)) {
        (_, Some(probe)) => probe.check_id(),
        (Area::Role, None) => "role.least_privilege".to_owned(),
        (_, None) => "key.accepted".to_owned(),
    }
}

/// In the words of a sentence: "users", "group memberships".
pub fn noun(area: Area) -> &'static str {
    match (area, Probe::of_area(area)) {
        (_, Some(probe)) => probe.noun(),
        (Area::Role, None) => "the key's role and its permissions",
        (_, None) => "the organizations this key reaches",
    }
}

/// On its own, for tables: "Users", "Group members".
pub fn label(area: Area) -> String {
    match (area, Probe::of_area(area)) {
        (_, Some(probe)) => probe.label(),
        (Area::Role, None) => "The key's role".to_owned(),
        (_, None) => "Organizations".to_owned(),
    }
}

/// Without the organizations (the key's test) and users there is nothing to onboard.
pub fn mandatory(area: Area) -> bool {
    match Probe::of_area(area) {
        Some(probe) => probe.mandatory(),
        None => area == Area::Organizations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_data_area_has_its_probe_and_the_probes_cover_them_all() {
        for area in Area::DATA {
            let probe = Probe::of_area(area).expect("a data area is probed");
            assert_eq!(probe.area(), area, "{area:?} and its probe agree");
            assert_eq!(check_id(area), format!("access.{}", area.key()));
        }
        assert_eq!(
            Probe::ALL.len(),
            Area::DATA.len(),
            "one probe per data area"
        );
        assert_eq!(check_id(Area::Role), "role.least_privilege");
        assert_eq!(check_id(Area::Organizations), "key.accepted");
        assert!(mandatory(Area::Organizations) && mandatory(Area::Users));
        assert!(!mandatory(Area::Role) && !mandatory(Area::Devices));
    }
}
