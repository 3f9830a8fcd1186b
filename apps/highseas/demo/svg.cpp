#include "svg.hpp"

#include <array>
#include <cstdio>

namespace highseas::demo {

namespace {

// One decimal, as C formats it: locale-free and the same everywhere.
std::string number(double value) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.1f", value);
  return text.data();
}

}  // namespace

std::string xml_escape(const std::string& text) {
  std::string escaped;
  escaped.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        escaped += "&amp;";
        break;
      case '<':
        escaped += "&lt;";
        break;
      case '>':
        escaped += "&gt;";
        break;
      case '"':
        escaped += "&quot;";
        break;
      default:
        escaped += c;
    }
  }
  return escaped;
}

void SvgWriter::line(double x1, double y1, double x2, double y2, const char* stroke, double width,
                     const char* dash) {
  out_ << "<line x1=\"" << number(x1) << "\" y1=\"" << number(y1) << "\" x2=\"" << number(x2)
       << "\" y2=\"" << number(y2) << "\" stroke=\"" << stroke << "\" stroke-width=\""
       << number(width) << "\"";
  if (dash != nullptr) out_ << " stroke-dasharray=\"" << dash << "\"";
  out_ << "/>\n";
}

void SvgWriter::rect(double x, double y, double width, double height, const char* fill) {
  out_ << "<rect x=\"" << number(x) << "\" y=\"" << number(y) << "\" width=\"" << number(width)
       << "\" height=\"" << number(height) << "\" fill=\"" << fill << "\"/>\n";
}

void SvgWriter::polyline(const std::vector<std::pair<double, double>>& points, const char* stroke,
                         double width) {
  out_ << "<polyline fill=\"none\" stroke=\"" << stroke << "\" stroke-width=\"" << number(width)
       << "\" stroke-linejoin=\"round\" points=\"";
  for (const auto& [x, y] : points) out_ << number(x) << "," << number(y) << " ";
  out_ << "\"/>\n";
}

void SvgWriter::text(double x, double y, const std::string& content, const TextStyle& style) {
  out_ << "<text x=\"" << number(x) << "\" y=\"" << number(y) << "\" font-size=\""
       << number(style.size) << "\" fill=\"" << style.fill << "\"";
  if (std::string(style.anchor) != "start") out_ << " text-anchor=\"" << style.anchor << "\"";
  if (style.bold) out_ << " font-weight=\"bold\"";
  if (style.rotate != 0) {
    out_ << " transform=\"rotate(" << number(style.rotate) << " " << number(x) << " " << number(y)
         << ")\"";
  }
  out_ << ">" << xml_escape(content) << "</text>\n";
}

std::string SvgWriter::finish(double height) {
  std::ostringstream document;
  document << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << number(width_)
           << "\" height=\"" << number(height) << "\" viewBox=\"0 0 " << number(width_) << " "
           << number(height) << "\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
           << "<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
           << out_.str() << "</svg>\n";
  return document.str();
}

}  // namespace highseas::demo
