#include "documents/internal/pdf.h"

#include <cairo-pdf.h>

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>

#include "crypto/files.h"

namespace jejak::internal {
namespace {

cairo_status_t AppendBytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

}  // namespace

QrImage::QrImage(const QrSymbol& symbol) : modules_(symbol.size + 2 * kQrQuietModules) {
  surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, modules_, modules_);
  cairo_surface_flush(surface_);
  unsigned char* data = cairo_image_surface_get_data(surface_);
  const int stride = cairo_image_surface_get_stride(surface_);
  for (int y = 0; y < modules_; ++y) {
    auto* row = reinterpret_cast<uint32_t*>(data + static_cast<ptrdiff_t>(y) * stride);
    for (int x = 0; x < modules_; ++x) {
      const int sx = x - kQrQuietModules, sy = y - kQrQuietModules;
      const bool dark = sx >= 0 && sy >= 0 && sx < symbol.size && sy < symbol.size &&
                        symbol.dark[static_cast<size_t>(sy) * symbol.size + sx] != 0;
      row[x] = dark ? 0x000000 : 0xFFFFFF;
    }
  }
  cairo_surface_mark_dirty(surface_);
}

QrImage::~QrImage() { cairo_surface_destroy(surface_); }

Result<std::unique_ptr<Pdf>> Pdf::Create(std::string_view title) {
  std::unique_ptr<Pdf> pdf(new Pdf());
  pdf->surface_ =
      cairo_pdf_surface_create_for_stream(AppendBytes, &pdf->bytes_, kA4Width, kA4Height);
  if (cairo_surface_status(pdf->surface_) != CAIRO_STATUS_SUCCESS) {
    return Internal(
        fmt::format("cairo: {}", cairo_status_to_string(cairo_surface_status(pdf->surface_))));
  }
  const std::string t(title);
  cairo_pdf_surface_set_metadata(pdf->surface_, CAIRO_PDF_METADATA_TITLE, t.c_str());
  cairo_pdf_surface_set_metadata(pdf->surface_, CAIRO_PDF_METADATA_CREATOR, "jejak");
  pdf->cr_ = cairo_create(pdf->surface_);
  pdf->layout_ = pango_cairo_create_layout(pdf->cr_);
  return pdf;
}

Pdf::~Pdf() {
  for (auto& [name, desc] : fonts_) pango_font_description_free(desc);
  if (layout_ != nullptr) g_object_unref(layout_);
  if (cr_ != nullptr) cairo_destroy(cr_);
  if (surface_ != nullptr) cairo_surface_destroy(surface_);
}

PangoFontDescription* Pdf::FontDescription(const Font& font) {
  const std::string key = fmt::format("{}{} {}", font.family, font.bold ? " Bold" : "", font.size);
  auto it = fonts_.find(key);
  if (it != fonts_.end()) return it->second;
  PangoFontDescription* desc = pango_font_description_new();
  pango_font_description_set_family(desc, font.family);
  pango_font_description_set_weight(desc, font.bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_size(desc, static_cast<gint>(std::lround(font.size * PANGO_SCALE)));
  fonts_.emplace(key, desc);
  return desc;
}

double Pdf::Text(double x, double y, double w, std::string_view text, const Font& font, Align align,
                 bool draw) {
  pango_layout_set_font_description(layout_, FontDescription(font));
  pango_layout_set_width(layout_, static_cast<int>(w * PANGO_SCALE));
  pango_layout_set_wrap(layout_, PANGO_WRAP_WORD_CHAR);
  pango_layout_set_alignment(layout_, align == Align::kLeft     ? PANGO_ALIGN_LEFT
                                      : align == Align::kCenter ? PANGO_ALIGN_CENTER
                                                                : PANGO_ALIGN_RIGHT);
  pango_layout_set_text(layout_, text.data(), static_cast<int>(text.size()));
  int width = 0, height = 0;
  pango_layout_get_size(layout_, &width, &height);
  if (draw) {
    cairo_move_to(cr_, x, y);
    pango_cairo_show_layout(cr_, layout_);
  }
  return static_cast<double>(height) / PANGO_SCALE;
}

double Pdf::LinePitch(const Font& font) {
  return Text(0, 0, 1000, "0\n0", font, Align::kLeft, false) -
         Text(0, 0, 1000, "0", font, Align::kLeft, false);
}

void Pdf::SetColor(const Rgb& c) { cairo_set_source_rgb(cr_, c.r, c.g, c.b); }

void Pdf::Rule(double x0, double y0, double x1, double y1, double width) {
  cairo_set_line_width(cr_, width);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
}

void Pdf::FillRect(double x, double y, double w, double h, const Rgb& c) {
  cairo_save(cr_);
  SetColor(c);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_fill(cr_);
  cairo_restore(cr_);
}

void Pdf::StrokeRect(double x, double y, double w, double h, double width) {
  cairo_set_line_width(cr_, width);
  cairo_rectangle(cr_, x, y, w, h);
  cairo_stroke(cr_);
}

void Pdf::Qr(double x, double y, const QrImage& image) {
  cairo_save(cr_);
  cairo_translate(cr_, std::round(x / kQrGrid) * kQrGrid, std::round(y / kQrGrid) * kQrGrid);
  cairo_scale(cr_, kQrModule, kQrModule);
  cairo_set_source_surface(cr_, image.surface(), 0, 0);
  cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_NEAREST);
  cairo_paint(cr_);
  cairo_restore(cr_);
}

void Pdf::Watermark(std::string_view text, const Rgb& c) {
  cairo_save(cr_);
  cairo_translate(cr_, kA4Width / 2, kA4Height / 2);
  cairo_rotate(cr_, -std::atan2(kA4Height, kA4Width));
  cairo_set_source_rgba(cr_, c.r, c.g, c.b, 0.15);
  pango_cairo_update_layout(cr_, layout_);
  const Font big{"DejaVu Sans", 110, true};
  const double h = Text(0, 0, 1000, text, big, Align::kCenter, false);
  Text(-500, -h / 2, 1000, text, big, Align::kCenter, true);
  cairo_restore(cr_);
  pango_cairo_update_layout(cr_, layout_);
}

void Pdf::NextPage() { cairo_show_page(cr_); }

Status Pdf::Finish(const std::string& path, unsigned mode) {
  cairo_surface_finish(surface_);
  const cairo_status_t st = cairo_surface_status(surface_);
  if (st != CAIRO_STATUS_SUCCESS) {
    return Internal(
        fmt::format("{}: cairo could not draw the document: {}", path, cairo_status_to_string(st)));
  }
  return WriteFileAtomic(path, bytes_, mode);
}

double TableRow(Pdf& pdf, double left, double y, const std::vector<double>& widths,
                const std::vector<std::string>& cells, const std::vector<Align>& align,
                const Font& font, const Rgb* shade) {
  double h = 0, total = 0;
  for (size_t i = 0; i < cells.size(); ++i) {
    h = std::max(h, pdf.Text(0, 0, widths[i] - 6, cells[i], font, align[i], false));
    total += widths[i];
  }
  h += 5;
  if (shade != nullptr) pdf.FillRect(left, y, total, h, *shade);
  pdf.SetColor(Rgb{});
  double x = left;
  for (size_t i = 0; i < cells.size(); ++i) {
    pdf.Text(x + 3, y + 2.5, widths[i] - 6, cells[i], font, align[i]);
    x += widths[i];
  }
  pdf.Rule(left, y + h, left + total, y + h, 0.3);
  return h;
}

}  // namespace jejak::internal
