//! A window with one static page and nothing else: what any Tauri 2 app costs to start here.

fn main() {
    if let Err(error) = tauri::Builder::default().run(tauri::generate_context!()) {
        eprintln!("minimal-window: {error}");
        std::process::exit(1);
    }
}
