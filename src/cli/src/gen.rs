//! `memtools-gen OUTDIR`: writes the man pages and shell completions of memtools and every
//! applet below OUTDIR, in the layout of an installation prefix:
//!
//!     OUTDIR/share/man/man1/NAME.1
//!     OUTDIR/share/bash-completion/completions/NAME
//!     OUTDIR/share/zsh/site-functions/_NAME
//!     OUTDIR/share/fish/vendor_completions.d/NAME.fish
//!
//! and prints each file's path relative to OUTDIR, one a line (the install manifest's
//! documentation part).

use std::path::{Path, PathBuf};

fn write(root: &Path, rel: &str, bytes: &[u8]) -> Result<(), String> {
    let path: PathBuf = root.join(rel);
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    std::fs::write(&path, bytes).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("{rel}");
    Ok(())
}

fn run(root: &Path) -> Result<(), String> {
    for name in memtools_cli::all_names() {
        let page = memtools_cli::man_page(name).ok_or(format!("no page for {name}"))?;
        write(root, &format!("share/man/man1/{name}.1"), page.as_bytes())?;
        for &(shell, dir) in memtools_cli::SHELLS {
            let script =
                memtools_cli::completion(shell, name).ok_or(format!("no completion for {name}"))?;
            let file = memtools_cli::completion_file_name(shell, name);
            write(root, &format!("{dir}/{file}"), &script)?;
        }
    }
    Ok(())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, out] = args.as_slice() else {
        eprintln!("usage: memtools-gen OUTDIR");
        std::process::exit(2);
    };
    if let Err(e) = run(Path::new(out)) {
        eprintln!("memtools-gen: {e}");
        std::process::exit(1);
    }
}
