//! The output folder's life: leftovers of killed builds, copies of the output, concurrent builds, and an
//! output that is a mount point.

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{copy_dir, fixbook, fixture, snapshot_tree, stderr};

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .map(|r| {
            r.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// A copy of the good site in a fresh folder, built once into its `public/`.
fn built_site() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &site);
    let o = fixbook(&site, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    (tmp, site)
}

/// A process id that is not running (a child that has exited and been reaped).
fn dead_pid() -> u32 {
    let mut child = Command::new("true")
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let pid = child.id();
    child.wait().unwrap_or_else(|e| panic!("{e}"));
    pid
}

/// The example: `kill -9` during the swap left a complete `.fixbook-old-public-PID` beside the output
/// for ever. The next build removes every leftover of a killed build: the old site renamed aside, a staging
/// folder, and the state where the output itself is missing (killed between the two renames).
#[test]
fn the_next_build_removes_what_killed_builds_left() {
    let (_tmp, site) = built_site();
    let public = site.join("public");
    let pid = dead_pid();
    copy_dir(&public, &site.join(format!(".fixbook-old-public-{pid}")));
    copy_dir(
        &public,
        &site.join(format!(".fixbook-staging-public-{}", pid + 1)),
    );
    // Another output's folders (`public-2`) and a look-alike name are not this build's to clean.
    fs::create_dir_all(site.join(format!(".fixbook-old-public-2-{pid}"))).unwrap_or_default();
    fs::create_dir_all(site.join(".fixbook-old-public-x")).unwrap_or_default();
    let o = fixbook(&site, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let left: Vec<_> = names(&site)
        .into_iter()
        .filter(|n| n.starts_with(".fixbook-"))
        .collect();
    assert_eq!(
        left,
        [
            ".fixbook-lock-public".to_string(),
            ".fixbook-old-public-2-{pid}".replace("{pid}", &pid.to_string()),
            ".fixbook-old-public-x".to_string(),
        ]
    );

    // Killed between renaming the output aside and renaming the staging folder in: no output at all.
    fs::rename(&public, site.join(format!(".fixbook-old-public-{pid}"))).unwrap_or_default();
    let o = fixbook(&site, &["build"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(public.join("index.html").is_file());
    assert!(!site.join(format!(".fixbook-old-public-{pid}")).exists());
}

/// Extra case: a staging folder of a build that is still running is kept, and a second build waits for the
/// first (saying so) instead of swapping the folder under it.
#[test]
fn a_running_builds_folders_are_kept_and_the_next_build_waits_for_it() {
    let (_tmp, site) = built_site();
    // This test plays the running build: it holds the output's lock and has a staging folder.
    let lock = fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(site.join(".fixbook-lock-public"))
        .unwrap_or_else(|e| panic!("{e}"));
    lock.lock().unwrap_or_else(|e| panic!("{e}"));
    let staging = site.join(format!(".fixbook-staging-public-{}", std::process::id()));
    fs::create_dir_all(&staging).unwrap_or_default();
    fs::write(staging.join("index.html"), "half written").unwrap_or_default();

    let mut second = Command::new(env!("CARGO_BIN_EXE_fixbook"))
        .env("FIXBOOK_TODAY", common::TODAY)
        .arg("--root")
        .arg(&site)
        .arg("build")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{e}"));
    let start = Instant::now();
    while start.elapsed() < Duration::from_millis(1500) {
        assert!(
            matches!(second.try_wait(), Ok(None)),
            "the second build did not wait for the lock"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(
        fs::read_to_string(staging.join("index.html")).unwrap_or_default(),
        "half written",
        "a running build's staging folder was touched"
    );
    drop(lock);
    let o = second.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("another fixbook build is writing `")
            && stderr(&o).contains("waiting for it to finish"),
        "{}",
        stderr(&o)
    );
    // Once the lock is free, that build is over: its folder is a leftover and goes.
    assert!(!staging.exists());
}

/// The issue's example: two builds into one output sometimes failed with "`public`: No such file or
/// directory". Builds into one output are serialised; every one succeeds and the output is whole.
#[test]
fn concurrent_builds_into_one_output_all_succeed() {
    let (_tmp, site) = built_site();
    let reference = snapshot_tree(&site.join("public"));
    for round in 0..3 {
        let children: Vec<_> = (0..4)
            .map(|_| {
                Command::new(env!("CARGO_BIN_EXE_fixbook"))
                    .env("FIXBOOK_TODAY", common::TODAY)
                    .arg("--root")
                    .arg(&site)
                    .arg("build")
                    .stdout(Stdio::piped())
                    .stderr(Stdio::piped())
                    .spawn()
                    .unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        for child in children {
            let o = child.wait_with_output().unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(o.status.code(), Some(0), "round {round}: {}", stderr(&o));
        }
        assert_eq!(snapshot_tree(&site.join("public")), reference);
        assert_eq!(
            names(&site)
                .into_iter()
                .filter(|n| n.starts_with(".fixbook-"))
                .collect::<Vec<_>>(),
            [".fixbook-lock-public"]
        );
    }
}

/// The example: `cp -r public deploy/` copied the marker, and a later build into `deploy/` deleted
/// files added there. The marker names the folder it was written for: a copy is refused with a hint, and
/// what was added to it stays. Extra cases: the copy made with `cp -r public/. deploy/` into a folder that
/// already held files, and a marker from an older fixbook that names no folder.
#[test]
fn a_copy_of_the_output_is_not_replaced() {
    let (tmp, site) = built_site();
    let public = site.join("public");
    let deploy = tmp.path().join("deploy");
    copy_dir(&public, &deploy);
    fs::write(deploy.join("added-by-hand.html"), "keep me").unwrap_or_default();
    let before = snapshot_tree(&deploy);
    let o = fixbook(
        &site,
        &["build", "--output", deploy.to_str().unwrap_or_default()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(err.contains("holds a copy of a fixbook site"), "{err}");
    assert!(err.contains("was written for `"), "{err}");
    assert!(err.contains("hint: "), "{err}");
    assert_eq!(snapshot_tree(&deploy), before);

    // `cp -r public/. deploy2/` into a folder that had its own files.
    let deploy2 = tmp.path().join("deploy2");
    fs::create_dir_all(&deploy2).unwrap_or_default();
    fs::write(deploy2.join("cv.pdf"), "precious").unwrap_or_default();
    copy_dir(&public, &deploy2);
    let o = fixbook(
        &site,
        &["build", "--output", deploy2.to_str().unwrap_or_default()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(
        fs::read_to_string(deploy2.join("cv.pdf")).unwrap_or_default(),
        "precious"
    );

    // A marker that names no folder.
    let legacy = tmp.path().join("legacy");
    copy_dir(&public, &legacy);
    fs::write(
        legacy.join(".fixbook-output"),
        "This folder is written by fixbook build; it may be replaced on the next build.\n",
    )
    .unwrap_or_default();
    let o = fixbook(
        &site,
        &["build", "--output", legacy.to_str().unwrap_or_default()],
    );
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("does not name its folder"),
        "{}",
        stderr(&o)
    );
}

/// The output itself, named another way (a relative path with `.` and `..`, or through a symbolic link to
/// its parent), is still the output: naming the folder must not refuse ordinary rebuilds.
#[test]
fn the_output_named_another_way_is_still_ours() {
    let (tmp, site) = built_site();
    let public = site.join("public");
    let marker = fs::read_to_string(public.join(".fixbook-output")).unwrap_or_default();
    let canonical = fs::canonicalize(&public).unwrap_or_default();
    assert!(
        marker.contains(&format!("output: {}\n", canonical.display())),
        "{marker}"
    );
    let odd = site.join("content/../public/./");
    let o = fixbook(
        &site,
        &["build", "--output", odd.to_str().unwrap_or_default()],
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    #[cfg(unix)]
    {
        let link = tmp.path().join("link");
        std::os::unix::fs::symlink(&site, &link).unwrap_or_else(|e| panic!("{e}"));
        let o = fixbook(&link, &["build"]);
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        assert!(public.join("index.html").is_file());
        assert!(!link.join("public").is_symlink());
    }
}

/// Runs `script` as root in a private mount namespace (`unshare -rm`), with `$FIXBOOK`, `$SITE` and `$OUT`
/// set; `None` when this machine does not allow it.
fn in_mount_namespace(script: &str, site: &Path, out: &Path) -> Option<std::process::Output> {
    let probe = Command::new("unshare").args(["-rm", "true"]).output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("SKIPPED: `unshare -rm` is not allowed here, so no mount point can be made");
        return None;
    }
    Some(
        Command::new("unshare")
            .args(["-rm", "sh", "-ec", script])
            .env("FIXBOOK", env!("CARGO_BIN_EXE_fixbook"))
            .env("FIXBOOK_TODAY", common::TODAY)
            .env("SITE", site)
            .env("OUT", out)
            .output()
            .unwrap_or_else(|e| panic!("{e}")),
    )
}

/// The issue's example: an output that is a mount point (a container volume) failed with "Device or
/// resource busy". Its contents are swapped instead: a build, a rebuild (a file of the previous output that
/// the new one lacks must go), and no leftovers inside or beside it. Extra case: a bind mount of a folder on the same file
/// system, where only the rename itself fails (EBUSY), not the device check.
#[test]
fn an_output_that_is_a_mount_point_is_written_in_place() {
    let tmp = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let site = tmp.path().join("site");
    copy_dir(&fixture("good-site"), &site);
    let out = tmp.path().join("volume");
    fs::create_dir_all(&out).unwrap_or_default();
    let bind_source = tmp.path().join("bind-source");
    fs::create_dir_all(&bind_source).unwrap_or_default();
    for mount in [
        "mount -t tmpfs tmpfs \"$OUT\"",
        "mount --bind \"$SITE/../bind-source\" \"$OUT\"",
    ] {
        let script = format!(
            "{mount}
             \"$FIXBOOK\" --root \"$SITE\" build --output \"$OUT\"
             echo stale > \"$OUT/errors/stale.html\"
             \"$FIXBOOK\" --root \"$SITE\" build --output \"$OUT\"
             test -f \"$OUT/index.html\"
             test ! -e \"$OUT/errors/stale.html\"
             echo INSIDE; ls -A \"$OUT\"
             echo BESIDE; ls -A \"$OUT/..\""
        );
        let Some(o) = in_mount_namespace(&script, &site, &out) else {
            return;
        };
        let text = common::stdout(&o);
        assert!(o.status.success(), "{mount}: {text}\n{}", stderr(&o));
        let (inside, beside) = text.split_once("BESIDE").unwrap_or_default();
        assert!(inside.contains(".fixbook-output"), "{inside}");
        assert!(!inside.contains(".fixbook-old"), "{mount}: {inside}");
        assert!(!inside.contains(".fixbook-staging"), "{mount}: {inside}");
        assert!(!beside.contains(".fixbook-old"), "{mount}: {beside}");
        assert!(!beside.contains(".fixbook-staging"), "{mount}: {beside}");
    }
}
