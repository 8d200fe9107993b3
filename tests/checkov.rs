//! checkov (a policy scanner nobody here wrote) over the CloudFormation stack of every golden case
//! and every corpus conversion, both launch types, in one run. Only the checks listed with a
//! reason in tests/validators/checkov-allow.txt may fail.

mod common;

use std::fs;

#[test]
fn every_stack_passes_checkov() {
    if !common::external("checkov (.venv-checkov)") {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    for (i, c) in common::all_conversions(&[]).iter().enumerate() {
        let cfn = c
            .artefacts
            .iter()
            .find(|a| a.name == "cloudformation.yaml")
            .expect("a stack");
        fs::write(tmp.path().join(format!("{i:03}.yaml")), &cfn.content).unwrap();
    }
    let (passed, failed) = common::run_checkov("cloudformation", tmp.path());
    assert!(
        passed > 100,
        "checkov passed only {passed} checks: did it read the stacks?"
    );
    assert!(
        failed.is_empty(),
        "{} checkov failures:\n{}",
        failed.len(),
        failed.join("\n")
    );
}
