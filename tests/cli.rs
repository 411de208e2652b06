//! probe
#[test]
fn probe() {
    let cargo = std::env::var("CARGO").unwrap_or("cargo".into());
    let out = std::process::Command::new(cargo).args(["build", "-p", "kith-cli", "--bin", "kith"]).output().unwrap();
    eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success());
}
