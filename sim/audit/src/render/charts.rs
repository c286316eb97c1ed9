//! The HTML report's charts, drawn by plotters' SVG backend.
//!
//! plotters is built without its font features: its SVG backend writes `<text>` elements and
//! leaves the glyphs to the browser, so no font file or system font library is needed. It
//! escapes the text it writes; the `<title>` and `<desc>` added here are escaped by
//! [`escape`].

use std::io;

use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The font family of axis and label text.
const FONT_FAMILY: &str = "sans-serif";

/// How big a chart is drawn: each chart comes in a wide version (desktop) and a narrow one
/// (phones), whose text stays readable when the SVG scales to the screen.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Size {
    /// Width in pixels (the SVG scales down to its box).
    pub width: u32,
    /// Axis and label text, in pixels.
    pub font: u32,
    /// The longest label, in characters; the data table beside the chart has the full text.
    pub label_chars: usize,
    /// Height of one bar row in a bar chart.
    pub row: u32,
}

/// For screens wider than a phone.
pub(crate) const WIDE: Size = Size {
    width: 760,
    font: 17,
    label_chars: 52,
    row: 30,
};

/// For a phone (about 360 CSS pixels across): drawn at about the size it is shown.
pub(crate) const NARROW: Size = Size {
    width: 360,
    font: 14,
    label_chars: 18,
    row: 26,
};

/// Ink for text and axes.
pub(crate) const INK: RGBColor = RGBColor(0x22, 0x22, 0x22);
/// Passed calls.
pub(crate) const PASS: RGBColor = RGBColor(0x1a, 0x7f, 0x37);
/// Failed calls.
pub(crate) const FAIL: RGBColor = RGBColor(0xc0, 0x22, 0x2b);
/// All calls, neutral.
pub(crate) const NEUTRAL: RGBColor = RGBColor(0x3b, 0x6e, 0xa8);

/// One horizontal bar.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    /// The category, at the bar's left.
    pub label: String,
    /// Its length.
    pub value: f64,
    /// The figure written at the bar's end.
    pub text: String,
    /// Its colour (never the only signal: the label or the figure says the same).
    pub color: RGBColor,
}

/// One bucket of the calls-over-time chart.
#[derive(Debug, Clone)]
pub(crate) struct Bucket {
    /// The day or hour.
    pub label: String,
    /// Calls started in it.
    pub calls: u64,
    /// Of which failed.
    pub failed: u64,
}

/// What a chart is about, for screen readers: the SVG's `<title>` and `<desc>`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Alt<'a> {
    /// The element id prefix (unique in the page).
    pub id: &'a str,
    /// A short title.
    pub title: &'a str,
    /// One or two sentences saying what the chart shows.
    pub desc: &'a str,
}

/// Escapes text for an XML text node or attribute.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Cuts a label to `chars` characters, marking the cut with an ellipsis.
fn short(label: &str, chars: usize) -> String {
    if label.chars().count() <= chars {
        label.to_owned()
    } else {
        let mut out: String = label.chars().take(chars.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn drawing_error(err: impl std::fmt::Display) -> io::Error {
    io::Error::other(format!("chart: {err}"))
}

/// Makes plotters' SVG accessible and fluid: `role="img"`, a `<title>` and `<desc>` named by
/// `aria-labelledby`, and a class the stylesheet scales.
fn finish(svg: String, alt: Alt<'_>) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg;
    };
    let (open, rest) = svg.split_at(open_end);
    let id = escape(alt.id);
    format!(
        "{open} class=\"chart-svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\">\
         <title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>{}",
        escape(alt.title),
        escape(alt.desc),
        &rest[1..]
    )
}

/// A horizontal bar chart, first bar on top; the axis runs from `x_min` to `x_max` (a pass
/// rate axis need not start at 0: the differences show), `x_desc` names it.
pub(crate) fn bars(
    bars: &[Bar],
    (x_min, x_max): (f64, f64),
    x_desc: &str,
    alt: Alt<'_>,
    size: Size,
) -> io::Result<String> {
    let font = (FONT_FAMILY, size.font);
    let char_width = size.font / 2 + 1;
    let n = bars.len().max(1);
    let labels: Vec<String> = bars
        .iter()
        .map(|b| short(&b.label, size.label_chars))
        .collect();
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4);
    let label_area = (widest as u32 * char_width + 20).clamp(50, size.width * 11 / 20);
    let widest_figure = bars
        .iter()
        .map(|b| b.text.chars().count())
        .max()
        .unwrap_or(1);
    let figure_area = widest_figure as u32 * char_width + 16;
    let row_height = if n > 16 { size.row * 2 / 3 } else { size.row };
    let height = row_height * n as u32 + 40 + size.font * 2;
    let x_max = if x_max > x_min { x_max } else { x_min + 1.0 };
    // Whole numbers up to 10: a tick at each; else plotters' round steps.
    let span = x_max - x_min;
    let x_ticks = if span <= 10.0 {
        span as usize + 1
    } else if size.width < 500 {
        4
    } else {
        6
    };
    // Rows are numbered from the bottom: bar i (first on top) is at row n - 1 - i.
    let row_of = |i: usize| (n - 1 - i) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .margin_right(figure_area)
            .x_label_area_size(size.font * 2 + 12)
            .y_label_area_size(label_area)
            .build_cartesian_2d(x_min..x_max, -0.5f64..(n as f64 - 0.5))
            .map_err(drawing_error)?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            // The category labels are drawn below, beside each bar.
            .y_labels(1)
            .y_label_formatter(&|_| String::new())
            .set_tick_mark_size(LabelAreaPosition::Left, 0)
            .x_labels(x_ticks)
            .x_label_formatter(&|x| format!("{x:.0}"))
            .x_desc(x_desc)
            .label_style(font.into_font().color(&INK))
            .axis_desc_style(font.into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .axis_style(INK)
            .draw()
            .map_err(drawing_error)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, bar)| {
                let row = row_of(i);
                Rectangle::new(
                    [(x_min, row - 0.32), (bar.value.max(x_min), row + 0.32)],
                    bar.color.filled(),
                )
            }))
            .map_err(drawing_error)?;
        let category = font
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        chart
            .draw_series(labels.iter().enumerate().map(|(i, label)| {
                EmptyElement::at((x_min, row_of(i)))
                    + Text::new(label.clone(), (-8, 0), category.clone())
            }))
            .map_err(drawing_error)?;
        let figure = font
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(bars.iter().enumerate().map(|(i, bar)| {
                EmptyElement::at((bar.value.max(x_min), row_of(i)))
                    + Text::new(bar.text.clone(), (6, 0), figure.clone())
            }))
            .map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
    }
    Ok(finish(svg, alt))
}

/// Calls per bucket (bars, left axis) with the failed ones (a line with points, on an axis of
/// their own on the right, so that a few failures among many calls still show their ups and
/// downs), and a legend.
pub(crate) fn timeline(
    buckets: &[Bucket],
    x_desc: &str,
    alt: Alt<'_>,
    size: Size,
) -> io::Result<String> {
    let font = (FONT_FAMILY, size.font);
    let n = buckets.len().max(1);
    let y_max = buckets.iter().map(|b| b.calls).max().unwrap_or(0).max(1);
    let f_max = buckets.iter().map(|b| b.failed).max().unwrap_or(0).max(1);
    // Head room for the legend in the upper right corner.
    let y_top = y_max + y_max * 2 / 5 + 1;
    let f_top = f_max + f_max * 2 / 5 + 1;
    let labels: Vec<String> = buckets.iter().map(|b| b.label.clone()).collect();
    let narrow = size.width < 500;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (size.width, if narrow { 300 } else { 340 }))
            .into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(size.font * 2 + 12)
            .y_label_area_size(size.font * 3 + 8)
            .right_y_label_area_size(size.font * 3 + 8)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0u64..y_top)
            .map_err(drawing_error)?
            .set_secondary_coord((0..n - 1).into_segmented(), 0u64..f_top);
        let label_of = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(if narrow { 5 } else { 12 }))
            .x_label_formatter(&label_of)
            .y_labels(6)
            .y_label_formatter(&|y| y.to_string())
            .x_desc(x_desc)
            .y_desc("calls (bars)")
            .label_style(font.into_font().color(&INK))
            .axis_desc_style(font.into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .axis_style(INK)
            .draw()
            .map_err(drawing_error)?;
        chart
            .configure_secondary_axes()
            .y_labels(6)
            .y_label_formatter(&|y| y.to_string())
            .y_desc("failed (line)")
            .label_style(font.into_font().color(&FAIL))
            .axis_desc_style(font.into_font().color(&FAIL))
            .axis_style(FAIL)
            .draw()
            .map_err(drawing_error)?;
        let gap = if n > 60 || narrow && n > 20 { 0 } else { 3 };
        chart
            .draw_series(buckets.iter().enumerate().map(|(i, b)| {
                let mut rect = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0),
                        (SegmentValue::Exact(i + 1), b.calls),
                    ],
                    NEUTRAL.mix(0.6).filled(),
                );
                rect.set_margin(0, 0, gap, gap);
                rect
            }))
            .map_err(drawing_error)?
            .label("calls (bars, left)")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 16, y + 6)], NEUTRAL.mix(0.6).filled())
            });
        let failed: Vec<(SegmentValue<usize>, u64)> = buckets
            .iter()
            .enumerate()
            .map(|(i, b)| (SegmentValue::CenterOf(i), b.failed))
            .collect();
        chart
            .draw_secondary_series(LineSeries::new(failed.clone(), FAIL.stroke_width(3)))
            .map_err(drawing_error)?
            .label("failed (line, right)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], FAIL.stroke_width(3)));
        if n <= 60 {
            chart
                .draw_secondary_series(
                    failed
                        .into_iter()
                        .map(|(x, y)| Circle::new((x, y), 4, FAIL.filled())),
                )
                .map_err(drawing_error)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(font.into_font().color(&INK))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(0x99, 0x99, 0x99))
            .draw()
            .map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
    }
    Ok(finish(svg, alt))
}
