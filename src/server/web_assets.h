// The web page's files (web/), compiled into the binary by CMake (cmake/embed_web.cmake), so
// filmsearch-serve is one file to deploy; --web-root serves a folder instead while developing.
#pragma once

#include <string_view>

namespace filmsearch::server {

struct WebAsset {
  std::string_view path;  // relative to web/: "index.html", "app.js"
  std::string_view body;
};

// The embedded file at `path`, or nullptr.
const WebAsset* find_web_asset(std::string_view path);

// "text/html; charset=utf-8" for .html and so on; "application/octet-stream" when unknown.
std::string_view content_type_for(std::string_view path);

}  // namespace filmsearch::server
