//! The Windows console when the GUI starts.
//!
//! `packbench.exe` is a console-subsystem program: the command line (`parse`, `station
//! --headless`, `export` …) is an automation interface that needs real stdin/stdout, exit codes
//! and a shell that waits for it. A GUI-subsystem binary that attaches to its parent's console
//! would return the prompt at once and share stdin with the shell. The price is a console
//! window when the GUI is started from the Start menu or Explorer: [`release_for_gui`] closes
//! it at start-up when no other process uses it (a short flash); started from a terminal, the
//! terminal stays as it is. Nothing happens on other platforms.

/// Detaches from a console that was created just for this process (Windows); no-op elsewhere.
pub fn release_for_gui() {
    #[cfg(windows)]
    windows::release_for_gui();
}

#[cfg(windows)]
#[allow(unsafe_code)]
mod windows {
    #[link(name = "kernel32")]
    unsafe extern "system" {
        fn GetConsoleProcessList(list: *mut u32, count: u32) -> u32;
        fn FreeConsole() -> i32;
    }

    pub(super) fn release_for_gui() {
        let mut ids = [0_u32; 4];
        let len = u32::try_from(ids.len()).unwrap_or(0);
        // SAFETY: `ids` is a valid, writable buffer of `len` u32s for the whole call.
        let attached = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), len) };
        if attached == 1 {
            // SAFETY: no arguments; detaching only closes our console handles, and the GUI
            // writes nothing to the console afterwards.
            unsafe {
                FreeConsole();
            }
        }
    }
}
