//! Local time text, for report headers (Unix: localtime_r + strftime).

/// Local time as vmmap prints it: `2025-04-14 23:26:23.826 +0800`.
pub fn local_time_text(secs: i64, millis: u32) -> String {
    // SAFETY: tm is plain old data; localtime_r fills it from the given time and strftime
    // writes at most buf.len() bytes, NUL-terminated, returning the length.
    unsafe {
        let t: libc::time_t = secs as libc::time_t;
        let mut tm: libc::tm = std::mem::zeroed();
        if libc::localtime_r(&t, &mut tm).is_null() {
            return String::from("???");
        }
        let mut day = [0 as libc::c_char; 64];
        let mut zone = [0 as libc::c_char; 16];
        let n1 = libc::strftime(
            day.as_mut_ptr(),
            day.len(),
            c"%Y-%m-%d %H:%M:%S".as_ptr(),
            &tm,
        );
        let n2 = libc::strftime(zone.as_mut_ptr(), zone.len(), c"%z".as_ptr(), &tm);
        if n1 == 0 || n2 == 0 {
            return String::from("???");
        }
        let d = std::ffi::CStr::from_ptr(day.as_ptr()).to_string_lossy();
        let z = std::ffi::CStr::from_ptr(zone.as_ptr()).to_string_lossy();
        format!("{d}.{millis:03} {z}")
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shape() {
        let t = super::local_time_text(0, 7);
        assert_eq!(t.len(), "1970-01-01 00:00:00.007 +0000".len(), "{t}");
        assert!(t.contains(".007 "), "{t}");
    }
}
