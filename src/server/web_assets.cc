#include "server/web_assets.h"

namespace filmsearch::server {

std::string_view content_type_for(std::string_view path) {
  auto ends_with = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with(".svg")) return "image/svg+xml";
  if (ends_with(".png")) return "image/png";
  if (ends_with(".json")) return "application/json";
  if (ends_with(".xml")) return "application/xml";
  return "application/octet-stream";
}

}  // namespace filmsearch::server
