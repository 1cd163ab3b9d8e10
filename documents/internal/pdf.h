// A thin layer over Cairo's PDF surface and Pango for the documents: A4
// pages in points, text in a box, rules, shaded rows, QR images. The PDF is
// built in memory and written atomically by Finish.
//
// Not thread-safe: one Pdf belongs to one thread.
#pragma once

#include <cairo.h>
#include <pango/pangocairo.h>

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/status.h"
#include "documents/qr.h"

namespace jejak::internal {

inline constexpr double kA4Width = 595.276;  // points
inline constexpr double kA4Height = 841.89;
inline constexpr double kMm = 72.0 / 25.4;
// A QR module in points: 0.51 mm, a whole 4 pixels at 200 dpi (3 at 150, 6
// at 300), so a rendered page keeps every module the same width; 3.3
// pixels, alternating 3 and 4, left zbar unable to read some codes at 200
// dpi. And the quiet zone in modules, as ISO/IEC 18004 asks.
inline constexpr double kQrModule = 1.44;
// QR images are placed on multiples of this (one pixel at 200 dpi).
inline constexpr double kQrGrid = 0.36;
inline constexpr int kQrQuietModules = 4;

enum class Align { kLeft, kCenter, kRight };

struct Font {
  const char* family = "DejaVu Sans";
  double size = 9;
  bool bold = false;
};

struct Rgb {
  double r = 0, g = 0, b = 0;
};

// What every document shares: the text column (18 mm margins), the small
// print, and the shade of table headers.
inline constexpr double kLeft = 51, kRight = kA4Width - 51, kWidth = kRight - kLeft;
inline constexpr Font kSmall{"DejaVu Sans", 7.5, false};
inline constexpr Rgb kShade{0.9, 0.9, 0.9};

// A QR symbol ready to paint: one pixel a module, quiet zone included, so
// Cairo writes its image once into the PDF however many pages show it.
class QrImage {
 public:
  explicit QrImage(const QrSymbol& symbol);
  ~QrImage();
  QrImage(const QrImage&) = delete;
  QrImage& operator=(const QrImage&) = delete;
  cairo_surface_t* surface() const { return surface_; }
  int modules() const { return modules_; }  // with the quiet zone
  double side() const { return modules_ * kQrModule; }

 private:
  cairo_surface_t* surface_;
  int modules_;
};

class Pdf {
 public:
  // A new document whose metadata title is `title`.
  static Result<std::unique_ptr<Pdf>> Create(std::string_view title);
  ~Pdf();
  Pdf(const Pdf&) = delete;
  Pdf& operator=(const Pdf&) = delete;

  cairo_t* cr() { return cr_; }

  // Lays out `text` (plain, not markup) in width `w` from top-left (x, y),
  // wrapped at word boundaries; returns its height. `draw` false only
  // measures.
  double Text(double x, double y, double w, std::string_view text, const Font& font,
              Align align = Align::kLeft, bool draw = true);
  // The distance between the baselines of two lines of `font`.
  double LinePitch(const Font& font);

  void SetColor(const Rgb& c);
  void Rule(double x0, double y0, double x1, double y1, double width = 0.5);
  void FillRect(double x, double y, double w, double h, const Rgb& c);
  void StrokeRect(double x, double y, double w, double h, double width = 0.5);
  // The image at (x, y) top-left, `image.side()` points square.
  void Qr(double x, double y, const QrImage& image);
  // `text` large, light and diagonal across the page (a draft's mark).
  void Watermark(std::string_view text, const Rgb& c);

  void NextPage();
  // Ends the document and writes it to `path` atomically with permissions
  // `mode`. IOError naming the path, or Internal with Cairo's word when
  // drawing failed.
  Status Finish(const std::string& path, unsigned mode = 0644);

 private:
  Pdf() = default;
  PangoFontDescription* FontDescription(const Font& font);

  std::string bytes_;
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
  PangoLayout* layout_ = nullptr;
  std::map<std::string, PangoFontDescription*> fonts_;
};

// A row of cells from (left, y), the widths side by side, each text inset 3
// pt and wrapped; shaded when `shade` is given; a thin rule below. Returns
// its height.
double TableRow(Pdf& pdf, double left, double y, const std::vector<double>& widths,
                const std::vector<std::string>& cells, const std::vector<Align>& align,
                const Font& font, const Rgb* shade = nullptr);

}  // namespace jejak::internal
