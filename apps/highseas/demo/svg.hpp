// A small SVG writer for the demo's chart: shapes and text with the few
// attributes the chart uses, numbers to one decimal (the same bytes on every
// platform, so the chart is deterministic) and text escaped for XML.
#pragma once

#include <sstream>
#include <string>
#include <utility>
#include <vector>

namespace highseas::demo {

// Returns `text` with &, <, > and " escaped for XML.
std::string xml_escape(const std::string& text);

struct TextStyle {
  double size = 12;
  const char* anchor = "start";  // start, middle or end
  bool bold = false;
  const char* fill = "#222";
  double rotate = 0;  // degrees, around the text's anchor point
};

class SvgWriter {
 public:
  explicit SvgWriter(double width) : width_(width) {}

  void line(double x1, double y1, double x2, double y2, const char* stroke, double width = 1,
            const char* dash = nullptr);
  void rect(double x, double y, double width, double height, const char* fill);
  void polyline(const std::vector<std::pair<double, double>>& points, const char* stroke,
                double width);
  void text(double x, double y, const std::string& content, const TextStyle& style = {});

  // Returns the document, `height` tall (known once everything is drawn);
  // the writer is spent afterwards.
  std::string finish(double height);

 private:
  double width_;
  std::ostringstream out_;  // the body
};

}  // namespace highseas::demo
