//! The terminal's output: raw mode and the alternate screen, left again on every exit (also on
//! errors and panics that unwind), and painting the screen's styled lines through crossterm.

use super::TerminalError;
use crate::screen::{Line, Tone};
use crossterm::style::{Attribute, Color, Print, SetAttribute, SetForegroundColor};
use crossterm::terminal::{self, ClearType};
use crossterm::{cursor, execute, queue};
use std::io::Write;
use unicode_width::UnicodeWidthStr;

/// Raw mode and the alternate screen, left again when dropped (also on errors).
pub(super) struct RawTerminal<'w, W: Write> {
    pub(super) out: &'w mut W,
}

impl<'w, W: Write> RawTerminal<'w, W> {
    /// Switches the terminal to raw mode and the alternate screen, hiding the cursor.
    pub(super) fn enter(out: &'w mut W) -> Result<Self, TerminalError> {
        terminal::enable_raw_mode().map_err(TerminalError::NotATerminal)?;
        let raw = RawTerminal { out };
        execute!(raw.out, terminal::EnterAlternateScreen, cursor::Hide)?;
        Ok(raw)
    }
}

impl<W: Write> Drop for RawTerminal<'_, W> {
    fn drop(&mut self) {
        let _ = execute!(self.out, cursor::Show, terminal::LeaveAlternateScreen);
        let _ = terminal::disable_raw_mode();
    }
}

/// Paints the screen's lines from the top left, each cut at the window's width, in their tones
/// (colour only when `color` allows it).
pub(super) fn paint<W: Write>(
    out: &mut W,
    lines: &[Line],
    width: usize,
    color: bool,
) -> std::io::Result<()> {
    queue!(out, cursor::MoveTo(0, 0), terminal::Clear(ClearType::All))?;
    for (row, line) in lines.iter().enumerate() {
        queue!(out, cursor::MoveTo(0, row as u16))?;
        let mut used = 0;
        for span in line {
            // Never write past the right edge: the terminal would wrap and shift every line.
            let mut text = String::new();
            for c in span.text.chars() {
                let w = UnicodeWidthStr::width(c.encode_utf8(&mut [0; 4]) as &str);
                if used + w > width {
                    break;
                }
                used += w;
                text.push(c);
            }
            match span.tone {
                Tone::Plain => {}
                Tone::Strong => queue!(out, SetAttribute(Attribute::Bold))?,
                Tone::Faint => queue!(out, SetAttribute(Attribute::Dim))?,
                Tone::Focus => queue!(out, SetAttribute(Attribute::Reverse))?,
                Tone::Chosen => {
                    queue!(out, SetAttribute(Attribute::Bold))?;
                    if color {
                        queue!(out, SetForegroundColor(Color::Green))?;
                    }
                }
                Tone::Problem => {
                    queue!(out, SetAttribute(Attribute::Bold))?;
                    if color {
                        queue!(out, SetForegroundColor(Color::Red))?;
                    }
                }
            }
            queue!(out, Print(text), SetAttribute(Attribute::Reset))?;
        }
    }
    out.flush()
}
