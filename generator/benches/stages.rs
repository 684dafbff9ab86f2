//! Each stage of `fixbook build` on the 1,000-page benchmark corpus from `../shared/bench/make-corpus.py`.
//!
//! Run with `cargo bench -p fixbook --bench stages`. The corpus is generated once into
//! `target/bench-corpus-1000` (it depends only on `--pages` and `--seed`).

use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{criterion_group, criterion_main, Criterion};
use fixbook::derive;
use fixbook::load;
use fixbook::markdown::{render_markdown_pass, Pass};
use fixbook::model::Model;
use fixbook::render::templates::{AssetUrls, Renderer};
use fixbook::validate;

fn corpus() -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let out = root.join("target/bench-corpus-1000");
    if !out.join("site.toml").is_file() {
        let script = root.join("../shared/bench/make-corpus.py");
        let status = Command::new("python3")
            .arg(&script)
            .arg(&out)
            .args(["--pages", "1000", "--force"])
            .status()
            .unwrap_or_else(|e| panic!("cannot run {}: {e}", script.display()));
        assert!(status.success(), "make-corpus.py failed");
    }
    out
}

fn model(root: &Path, pass: Pass) -> Model {
    let mut diags = Vec::new();
    let site = load::load(root, &mut diags).unwrap_or_else(|d| panic!("{d}"));
    let base = site.config.base_path();
    let bodies = site
        .pages
        .iter()
        .map(|p| render_markdown_pass(p.body(), &base, pass))
        .collect();
    Model::new(site, bodies)
}

fn stages(c: &mut Criterion) {
    let root = corpus();
    // What `build`'s one Markdown pass makes: HTML, headings, links and search terms.
    let scan = Pass {
        html: true,
        text: true,
    };
    let mut g = c.benchmark_group("stages-1000");
    g.sample_size(10);
    g.bench_function("load", |b| {
        b.iter(|| {
            let mut diags = Vec::new();
            load::load(&root, &mut diags)
                .map(|s| s.pages.len())
                .unwrap_or(0)
        })
    });
    let m = model(&root, scan);
    g.bench_function("markdown", |b| {
        b.iter(|| {
            m.site
                .pages
                .iter()
                .map(|p| render_markdown_pass(p.body(), "/", scan).links.len())
                .sum::<usize>()
        })
    });
    g.bench_function("validate", |b| {
        b.iter(|| {
            let mut diags = Vec::new();
            validate::validate(&m, &mut diags);
            diags.len()
        })
    });
    g.bench_function("derive", |b| {
        b.iter(|| {
            let index = derive::knowledge_index(&m);
            let search = derive::search_files(&m);
            (index.causes.len(), search.files.len())
        })
    });
    let theme = fixbook::theme::load(&root, "default").unwrap_or_else(|d| panic!("{d}"));
    let renderer =
        Renderer::new(&theme, &m, &AssetUrls::default()).unwrap_or_else(|d| panic!("{d:?}"));
    let links = derive::reverse_links(&m);
    // Templates only: the bodies' HTML comes from the Markdown pass, as in `build`.
    g.bench_function("render", |b| {
        b.iter(|| {
            let mut bytes = 0;
            for (i, body) in m.bodies.iter().enumerate() {
                bytes += renderer
                    .page(&m, &links, i, body, &body.html)
                    .map(|h| h.len())
                    .unwrap_or(0);
            }
            bytes
        })
    });
    let out = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let out_dir = out.path().join("public");
    g.bench_function("build-with-write", |b| {
        b.iter(|| {
            fixbook::build(&root, Some(&out_dir), None)
                .map(|s| s.pages)
                .unwrap_or(0)
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
