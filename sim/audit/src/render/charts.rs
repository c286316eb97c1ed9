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

/// Chart width in pixels (the SVG scales down to its box).
const WIDTH: u32 = 760;
/// Height of one bar row in a bar chart.
const ROW: u32 = 30;
/// The longest chart label, in characters; the data table beside the chart has the full text.
const LABEL_CHARS: usize = 52;
/// Axis and label text.
const FONT: (&str, u32) = ("sans-serif", 17);

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

/// Cuts a label to [`LABEL_CHARS`] characters, marking the cut with an ellipsis.
fn short(label: &str) -> String {
    if label.chars().count() <= LABEL_CHARS {
        label.to_owned()
    } else {
        let mut out: String = label.chars().take(LABEL_CHARS - 1).collect();
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

/// A horizontal bar chart, first bar on top; `x_max` is the axis' end, `x_desc` its name.
pub(crate) fn bars(bars: &[Bar], x_max: f64, x_desc: &str, alt: Alt<'_>) -> io::Result<String> {
    let n = bars.len().max(1);
    let labels: Vec<String> = bars.iter().map(|b| short(&b.label)).collect();
    let widest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(4);
    let label_area = (widest as u32 * 8 + 24).clamp(60, 440);
    let widest_figure = bars
        .iter()
        .map(|b| b.text.chars().count())
        .max()
        .unwrap_or(1);
    let figure_area = widest_figure as u32 * 8 + 20;
    let row_height = if n > 16 { ROW * 2 / 3 } else { ROW };
    let height = row_height * n as u32 + 76;
    let x_max = if x_max > 0.0 { x_max } else { 1.0 };
    // Whole numbers up to 10: a tick at each; else plotters' round steps.
    let x_ticks = if x_max <= 10.0 { x_max as usize + 1 } else { 6 };
    // Rows are numbered from the bottom: bar i (first on top) is at row n - 1 - i.
    let row_of = |i: usize| (n - 1 - i) as f64;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .margin_right(figure_area)
            .x_label_area_size(46)
            .y_label_area_size(label_area)
            .build_cartesian_2d(0f64..x_max, -0.5f64..(n as f64 - 0.5))
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
            .label_style(FONT.into_font().color(&INK))
            .axis_desc_style(FONT.into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .axis_style(INK)
            .draw()
            .map_err(drawing_error)?;
        chart
            .draw_series(bars.iter().enumerate().map(|(i, bar)| {
                let row = row_of(i);
                Rectangle::new(
                    [(0.0, row - 0.32), (bar.value.max(0.0), row + 0.32)],
                    bar.color.filled(),
                )
            }))
            .map_err(drawing_error)?;
        let category = FONT
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Right, VPos::Center));
        chart
            .draw_series(labels.iter().enumerate().map(|(i, label)| {
                EmptyElement::at((0.0, row_of(i)))
                    + Text::new(label.clone(), (-8, 0), category.clone())
            }))
            .map_err(drawing_error)?;
        let figure = FONT
            .into_font()
            .color(&INK)
            .pos(Pos::new(HPos::Left, VPos::Center));
        chart
            .draw_series(bars.iter().enumerate().map(|(i, bar)| {
                EmptyElement::at((bar.value.max(0.0), row_of(i)))
                    + Text::new(bar.text.clone(), (6, 0), figure.clone())
            }))
            .map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
    }
    Ok(finish(svg, alt))
}

/// Calls per bucket (bars) with the failed ones (a line with points), and a legend.
pub(crate) fn timeline(buckets: &[Bucket], x_desc: &str, alt: Alt<'_>) -> io::Result<String> {
    let n = buckets.len().max(1);
    let y_max = buckets.iter().map(|b| b.calls).max().unwrap_or(0).max(1);
    // Head room for the legend in the upper right corner.
    let y_top = y_max + y_max * 2 / 5 + 1;
    let labels: Vec<String> = buckets.iter().map(|b| b.label.clone()).collect();
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, 340)).into_drawing_area();
        root.fill(&WHITE).map_err(drawing_error)?;
        let mut chart = ChartBuilder::on(&root)
            .margin(12)
            .x_label_area_size(46)
            .y_label_area_size(60)
            .build_cartesian_2d((0..n - 1).into_segmented(), 0u64..y_top)
            .map_err(drawing_error)?;
        let label_of = |v: &SegmentValue<usize>| match v {
            SegmentValue::CenterOf(i) => labels.get(*i).cloned().unwrap_or_default(),
            _ => String::new(),
        };
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(n.min(12))
            .x_label_formatter(&label_of)
            .y_labels(6)
            .y_label_formatter(&|y| y.to_string())
            .x_desc(x_desc)
            .y_desc("calls")
            .label_style(FONT.into_font().color(&INK))
            .axis_desc_style(FONT.into_font().color(&INK))
            .light_line_style(TRANSPARENT)
            .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
            .axis_style(INK)
            .draw()
            .map_err(drawing_error)?;
        let gap = if n > 60 { 0 } else { 4 };
        chart
            .draw_series(buckets.iter().enumerate().map(|(i, b)| {
                let mut rect = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0),
                        (SegmentValue::Exact(i + 1), b.calls),
                    ],
                    NEUTRAL.mix(0.75).filled(),
                );
                rect.set_margin(0, 0, gap, gap);
                rect
            }))
            .map_err(drawing_error)?
            .label("calls (bars)")
            .legend(|(x, y)| {
                Rectangle::new([(x, y - 6), (x + 16, y + 6)], NEUTRAL.mix(0.75).filled())
            });
        let failed: Vec<(SegmentValue<usize>, u64)> = buckets
            .iter()
            .enumerate()
            .map(|(i, b)| (SegmentValue::CenterOf(i), b.failed))
            .collect();
        chart
            .draw_series(LineSeries::new(failed.clone(), FAIL.stroke_width(3)))
            .map_err(drawing_error)?
            .label("failed (line)")
            .legend(|(x, y)| PathElement::new([(x, y), (x + 16, y)], FAIL.stroke_width(3)));
        if n <= 60 {
            chart
                .draw_series(
                    failed
                        .into_iter()
                        .map(|(x, y)| Circle::new((x, y), 4, FAIL.filled())),
                )
                .map_err(drawing_error)?;
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperRight)
            .label_font(FONT.into_font().color(&INK))
            .background_style(WHITE.mix(0.9))
            .border_style(RGBColor(0x99, 0x99, 0x99))
            .draw()
            .map_err(drawing_error)?;
        root.present().map_err(drawing_error)?;
    }
    Ok(finish(svg, alt))
}
