//! No panic on any input: every fixture cut short at many places, and byte soup, either
//! loads or is an error; never a panic, never a hang.

mod common;

use common::fixtures;
use ringfence_iac::Kind;
use std::path::{Path, PathBuf};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry"))
    {
        let path = entry.path();
        if path.is_dir() {
            files(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn kind_of(path: &Path) -> Option<(Kind, &'static str)> {
    let name = path.file_name()?.to_string_lossy().into_owned();
    if name.ends_with(".tf") {
        Some((Kind::Terraform, "main.tf"))
    } else if path.to_string_lossy().contains("/plan/") {
        Some((Kind::Plan, "plan.json"))
    } else if name.ends_with(".yaml") || name.ends_with(".json") {
        Some((Kind::CloudFormation, "template.yaml"))
    } else {
        None
    }
}

#[test]
fn truncated_fixtures_never_panic() {
    let mut all = Vec::new();
    files(&fixtures(""), &mut all);
    let dir = std::env::temp_dir().join(format!("ringfence-iac-cut-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    for path in all {
        let Some((kind, name)) = kind_of(&path) else {
            continue;
        };
        let bytes = std::fs::read(&path).expect("read");
        let step = (bytes.len() / 40).max(1);
        for cut in (0..bytes.len()).step_by(step) {
            let target = dir.join(name);
            std::fs::write(&target, &bytes[..cut]).expect("write");
            // Either outcome is fine; a panic fails the test.
            let _ = ringfence_iac::load(&target, kind);
        }
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn deep_nesting_and_odd_values_are_errors_or_unknowns() {
    let dir = std::env::temp_dir().join(format!("ringfence-iac-odd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let cases: Vec<(Kind, &str, String)> = vec![
        (
            Kind::Terraform,
            "main.tf",
            format!("locals {{ x = {}1{} }}\n", "[".repeat(300), "]".repeat(300)),
        ),
        (
            Kind::Terraform,
            "main.tf",
            "locals {\n a = local.b\n b = local.a\n}\nresource \"aws_security_group\" \"x\" {\n ingress {\n from_port = local.a\n to_port = 1\n protocol = \"tcp\"\n cidr_blocks = [local.a]\n }\n}\n".into(),
        ),
        (
            Kind::Terraform,
            "main.tf",
            "resource \"aws_security_group\" \"x\" {\n ingress {\n from_port = 70000\n to_port = -5\n protocol = \"bogus\"\n cidr_blocks = [\"not-a-cidr\", 7, null, [\"x\"]]\n }\n count = 1e12\n}\n".into(),
        ),
        (
            Kind::CloudFormation,
            "t.yaml",
            format!("Resources:\n  X: {}1{}\n", "[".repeat(500), "]".repeat(500)),
        ),
        (
            Kind::CloudFormation,
            "t.yaml",
            "Resources:\n  A: &a\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress: *a\n  B:\n    Type: AWS::EC2::SecurityGroup\n    Properties:\n      SecurityGroupIngress:\n        - IpProtocol: tcp\n          FromPort: !Ref B\n          ToPort: !GetAtt [B]\n          CidrIp: !Sub [\"${x}\", {x: !Ref B}]\n".into(),
        ),
        (
            Kind::CloudFormation,
            "t.yaml",
            format!("Resources:\n  X:\n    {}a\n", "- ".repeat(20_000)),
        ),
        (
            Kind::CloudFormation,
            "t.yaml",
            format!(
                "Resources:\n{}",
                (1..3000)
                    .map(|i| format!("{}a{i}:\n", " ".repeat(i)))
                    .collect::<String>()
            ),
        ),
        (
            Kind::Plan,
            "plan.json",
            format!("{{\"format_version\":\"1\",\"x\":{}1{}}}", "[".repeat(1000), "]".repeat(1000)),
        ),
        (Kind::Plan, "plan.json", "{\"format_version\":\"1\",\"resource_changes\":[{\"address\":\"a\",\"type\":\"aws_security_group\",\"change\":{\"after\":{\"ingress\":\"oops\"},\"after_unknown\":[1]}}]}".into()),
    ];
    for (kind, name, text) in cases {
        let path = dir.join(name);
        std::fs::write(&path, text).expect("write");
        let _ = ringfence_iac::load(&path, kind);
    }
    std::fs::remove_dir_all(&dir).ok();
}
