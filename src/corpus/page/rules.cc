#include "corpus/page/rules.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "corpus/page/text.h"
#include "corpus/spoilers.h"

namespace filmsearch::corpus::page {

namespace {

struct KeywordRow {
  std::string_view phrase;
  SectionKind kind;
  Treatment treatment;
};


// First match wins, so specific phrases come before general ones ("plot summary" is a synopsis,
// "detailed plot" a plot, "plot" alone a plot).
constexpr KeywordRow kHeadingKeywords[] = {
    {"see also", SectionKind::kOther, Treatment::kDrop},
    {"must read", SectionKind::kOther, Treatment::kDrop},
    {"related articles", SectionKind::kOther, Treatment::kDrop},
    {"related news", SectionKind::kOther, Treatment::kDrop},
    {"related stories", SectionKind::kOther, Treatment::kDrop},
    {"recommended", SectionKind::kOther, Treatment::kDrop},
    {"recently viewed", SectionKind::kOther, Treatment::kDrop},
    {"you may also like", SectionKind::kOther, Treatment::kDrop},
    {"read next", SectionKind::kOther, Treatment::kDrop},
    {"more from", SectionKind::kOther, Treatment::kDrop},
    {"trending", SectionKind::kOther, Treatment::kDrop},
    {"latest news", SectionKind::kOther, Treatment::kDrop},
    {"rate", SectionKind::kOther, Treatment::kDrop},
    {"rate this", SectionKind::kOther, Treatment::kDrop},
    {"leave a reply", SectionKind::kOther, Treatment::kDrop},
    {"leave a comment", SectionKind::kOther, Treatment::kDrop},
    {"comments", SectionKind::kOther, Treatment::kDrop},
    {"share this", SectionKind::kOther, Treatment::kDrop},
    {"navigation", SectionKind::kOther, Treatment::kDrop},
    {"where to watch", SectionKind::kOther, Treatment::kUnranked},
    {"how to watch", SectionKind::kOther, Treatment::kUnranked},
    {"watch online", SectionKind::kOther, Treatment::kUnranked},
    {"streaming", SectionKind::kOther, Treatment::kUnranked},
    {"related products", SectionKind::kOther, Treatment::kUnranked},
    {"shop", SectionKind::kOther, Treatment::kUnranked},
    {"buy", SectionKind::kOther, Treatment::kUnranked},
    {"merchandise", SectionKind::kOther, Treatment::kUnranked},
    {"similar movies", SectionKind::kOther, Treatment::kUnranked},
    {"similar films", SectionKind::kOther, Treatment::kUnranked},
    {"more like this", SectionKind::kOther, Treatment::kUnranked},
    {"you might like", SectionKind::kOther, Treatment::kUnranked},
    {"bonus content", SectionKind::kOther, Treatment::kUnranked},
    {"external links", SectionKind::kOther, Treatment::kUnranked},
    {"references", SectionKind::kOther, Treatment::kUnranked},
    {"further reading", SectionKind::kOther, Treatment::kUnranked},
    {"detailed plot", SectionKind::kPlot, Treatment::kRanked},
    {"full plot", SectionKind::kPlot, Treatment::kRanked},
    {"plot synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"detailed synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"full synopsis", SectionKind::kPlot, Treatment::kRanked},
    {"ending explained", SectionKind::kPlot, Treatment::kRanked},
    {"plot summary", SectionKind::kSynopsis, Treatment::kRanked},
    {"plot summaries", SectionKind::kSynopsis, Treatment::kRanked},
    {"summary", SectionKind::kSynopsis, Treatment::kRanked},
    {"synopsis", SectionKind::kSynopsis, Treatment::kRanked},
    {"storyline", SectionKind::kSynopsis, Treatment::kRanked},
    {"premise", SectionKind::kSynopsis, Treatment::kRanked},
    {"overview", SectionKind::kSynopsis, Treatment::kRanked},
    {"plot", SectionKind::kPlot, Treatment::kRanked},
    {"story", SectionKind::kPlot, Treatment::kRanked},
    {"review", SectionKind::kReview, Treatment::kRanked},
    {"reviews", SectionKind::kReview, Treatment::kRanked},
    {"reception", SectionKind::kReview, Treatment::kRanked},
    {"critical response", SectionKind::kReview, Treatment::kRanked},
    {"critics", SectionKind::kReview, Treatment::kRanked},
    {"audience reactions", SectionKind::kReview, Treatment::kRanked},
    {"audience reaction", SectionKind::kReview, Treatment::kRanked},
    {"verdict", SectionKind::kReview, Treatment::kRanked},
    {"quotes", SectionKind::kQuote, Treatment::kRanked},
    {"quotations", SectionKind::kQuote, Treatment::kRanked},
    {"memorable lines", SectionKind::kQuote, Treatment::kRanked},
    {"famous lines", SectionKind::kQuote, Treatment::kRanked},
    {"cast", SectionKind::kCast, Treatment::kRanked},
    {"characters", SectionKind::kCast, Treatment::kRanked},
    {"starring", SectionKind::kCast, Treatment::kRanked},
    {"faq", SectionKind::kFaq, Treatment::kRanked},
    {"frequently asked", SectionKind::kFaq, Treatment::kRanked},
    {"trivia", SectionKind::kTrivia, Treatment::kRanked},
    {"awards", SectionKind::kTrivia, Treatment::kRanked},
    {"accolades", SectionKind::kTrivia, Treatment::kRanked},
    {"behind the scenes", SectionKind::kTrivia, Treatment::kRanked},
    {"production", SectionKind::kTrivia, Treatment::kRanked},
    {"box office", SectionKind::kTrivia, Treatment::kRanked},
    {"did you know", SectionKind::kTrivia, Treatment::kRanked},
    {"goofs", SectionKind::kTrivia, Treatment::kRanked},
    {"soundtrack", SectionKind::kTrivia, Treatment::kRanked},
    {"fun facts", SectionKind::kTrivia, Treatment::kRanked},
    {"legacy", SectionKind::kTrivia, Treatment::kRanked},
    {"filming", SectionKind::kTrivia, Treatment::kRanked},
};


// Section headings in French, German, Spanish, Italian, Portuguese, Czech, Polish, Russian,
// Chinese, Japanese and Korean, read after the English table (the same first-match rule).
// Headings are lowered in ASCII only, so Cyrillic is listed as pages write it. Words that also
// name a table of contents ("Obsah", "Opis") are left out.
constexpr KeywordRow kHeadingKeywordsOtherLanguages[] = {
    // French
    {"r\xC3\xA9sum\xC3\xA9", SectionKind::kSynopsis, Treatment::kRanked},  // résumé
    {"intrigue", SectionKind::kPlot, Treatment::kRanked},
    {"critiques", SectionKind::kReview, Treatment::kRanked},
    {"critique", SectionKind::kReview, Treatment::kRanked},
    {"distribution", SectionKind::kCast, Treatment::kRanked},
    {"citations", SectionKind::kQuote, Treatment::kRanked},
    {"r\xC3\xA9pliques", SectionKind::kQuote, Treatment::kRanked},  // répliques
    {"anecdotes", SectionKind::kTrivia, Treatment::kRanked},
    {"le saviez-vous", SectionKind::kTrivia, Treatment::kRanked},
    {"commentaires", SectionKind::kOther, Treatment::kDrop},
    {"voir aussi", SectionKind::kOther, Treatment::kDrop},
    {"lire aussi", SectionKind::kOther, Treatment::kDrop},
    {"\xC3\xA0 lire aussi", SectionKind::kOther, Treatment::kDrop},  // à lire aussi
    // German
    {"zusammenfassung", SectionKind::kSynopsis, Treatment::kRanked},
    {"inhalt", SectionKind::kSynopsis, Treatment::kRanked},
    {"handlung", SectionKind::kPlot, Treatment::kRanked},
    {"kritiken", SectionKind::kReview, Treatment::kRanked},
    {"kritik", SectionKind::kReview, Treatment::kRanked},
    {"rezension", SectionKind::kReview, Treatment::kRanked},
    {"besetzung", SectionKind::kCast, Treatment::kRanked},
    {"darsteller", SectionKind::kCast, Treatment::kRanked},
    {"zitate", SectionKind::kQuote, Treatment::kRanked},
    {"wissenswertes", SectionKind::kTrivia, Treatment::kRanked},
    {"hintergrund", SectionKind::kTrivia, Treatment::kRanked},
    {"auszeichnungen", SectionKind::kTrivia, Treatment::kRanked},
    {"kommentare", SectionKind::kOther, Treatment::kDrop},
    {"siehe auch", SectionKind::kOther, Treatment::kDrop},
    {"mehr zum thema", SectionKind::kOther, Treatment::kDrop},
    {"das k\xC3\xB6nnte sie auch interessieren", SectionKind::kOther, Treatment::kDrop},  // das könnte sie auch interessieren
    // Spanish
    {"sinopsis", SectionKind::kSynopsis, Treatment::kRanked},
    {"argumento", SectionKind::kPlot, Treatment::kRanked},
    {"trama", SectionKind::kPlot, Treatment::kRanked},
    {"cr\xC3\xADticas", SectionKind::kReview, Treatment::kRanked},  // críticas
    {"cr\xC3\xADtica", SectionKind::kReview, Treatment::kRanked},  // crítica
    {"reparto", SectionKind::kCast, Treatment::kRanked},
    {"citas", SectionKind::kQuote, Treatment::kRanked},
    {"curiosidades", SectionKind::kTrivia, Treatment::kRanked},
    {"premios", SectionKind::kTrivia, Treatment::kRanked},
    {"comentarios", SectionKind::kOther, Treatment::kDrop},
    {"v\xC3\xA9" "ase tambi\xC3\xA9n", SectionKind::kOther, Treatment::kDrop},  // véase también
    {"noticias relacionadas", SectionKind::kOther, Treatment::kDrop},
    // Italian
    {"sinossi", SectionKind::kSynopsis, Treatment::kRanked},
    {"recensioni", SectionKind::kReview, Treatment::kRanked},
    {"recensione", SectionKind::kReview, Treatment::kRanked},
    {"interpreti", SectionKind::kCast, Treatment::kRanked},
    {"citazioni", SectionKind::kQuote, Treatment::kRanked},
    {"curiosit\xC3\xA0", SectionKind::kTrivia, Treatment::kRanked},  // curiosità
    {"commenti", SectionKind::kOther, Treatment::kDrop},
    {"voci correlate", SectionKind::kOther, Treatment::kDrop},
    {"articoli correlati", SectionKind::kOther, Treatment::kDrop},
    // Portuguese
    {"sinopse", SectionKind::kSynopsis, Treatment::kRanked},
    {"enredo", SectionKind::kPlot, Treatment::kRanked},
    {"elenco", SectionKind::kCast, Treatment::kRanked},
    {"cita\xC3\xA7\xC3\xB5" "es", SectionKind::kQuote, Treatment::kRanked},  // citações
    {"coment\xC3\xA1rios", SectionKind::kOther, Treatment::kDrop},  // comentários
    {"ver tamb\xC3\xA9m", SectionKind::kOther, Treatment::kDrop},  // ver também
    {"leia tamb\xC3\xA9m", SectionKind::kOther, Treatment::kDrop},  // leia também
    // Czech
    {"d\xC4\x9Bj", SectionKind::kPlot, Treatment::kRanked},  // děj
    {"recenze", SectionKind::kReview, Treatment::kRanked},
    {"obsazen\xC3\xAD", SectionKind::kCast, Treatment::kRanked},  // obsazení
    {"hraj\xC3\xAD", SectionKind::kCast, Treatment::kRanked},  // hrají
    {"cit\xC3\xA1ty", SectionKind::kQuote, Treatment::kRanked},  // citáty
    {"zaj\xC3\xADmavosti", SectionKind::kTrivia, Treatment::kRanked},  // zajímavosti
    {"koment\xC3\xA1\xC5\x99" "e", SectionKind::kOther, Treatment::kDrop},  // komentáře
    {"diskuze", SectionKind::kOther, Treatment::kDrop},
    {"souvisej\xC3\xAD" "c\xC3\xAD \xC4\x8Dl\xC3\xA1nky", SectionKind::kOther, Treatment::kDrop},  // související články
    // Polish
    {"fabu\xC5\x82" "a", SectionKind::kPlot, Treatment::kRanked},  // fabuła
    {"recenzje", SectionKind::kReview, Treatment::kRanked},
    {"recenzja", SectionKind::kReview, Treatment::kRanked},
    {"obsada", SectionKind::kCast, Treatment::kRanked},
    {"cytaty", SectionKind::kQuote, Treatment::kRanked},
    {"ciekawostki", SectionKind::kTrivia, Treatment::kRanked},
    {"komentarze", SectionKind::kOther, Treatment::kDrop},
    {"zobacz te\xC5\xBC", SectionKind::kOther, Treatment::kDrop},  // zobacz też
    {"zobacz tak\xC5\xBC" "e", SectionKind::kOther, Treatment::kDrop},  // zobacz także
    // Russian
    {"\xD1\x81\xD1\x8E\xD0\xB6\xD0\xB5\xD1\x82", SectionKind::kPlot, Treatment::kRanked},  // сюжет
    {"\xD0\xA1\xD1\x8E\xD0\xB6\xD0\xB5\xD1\x82", SectionKind::kPlot, Treatment::kRanked},  // Сюжет
    {"\xD0\xBE\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0\xD0\xBD\xD0\xB8\xD0\xB5", SectionKind::kSynopsis, Treatment::kRanked},  // описание
    {"\xD0\x9E\xD0\xBF\xD0\xB8\xD1\x81\xD0\xB0\xD0\xBD\xD0\xB8\xD0\xB5", SectionKind::kSynopsis, Treatment::kRanked},  // Описание
    {"\xD1\x80\xD0\xB5\xD1\x86\xD0\xB5\xD0\xBD\xD0\xB7\xD0\xB8\xD0\xB8", SectionKind::kReview, Treatment::kRanked},  // рецензии
    {"\xD0\xA0\xD0\xB5\xD1\x86\xD0\xB5\xD0\xBD\xD0\xB7\xD0\xB8\xD0\xB8", SectionKind::kReview, Treatment::kRanked},  // Рецензии
    {"\xD0\xBE\xD1\x82\xD0\xB7\xD1\x8B\xD0\xB2\xD1\x8B", SectionKind::kReview, Treatment::kRanked},  // отзывы
    {"\xD0\x9E\xD1\x82\xD0\xB7\xD1\x8B\xD0\xB2\xD1\x8B", SectionKind::kReview, Treatment::kRanked},  // Отзывы
    {"\xD0\xB2 \xD1\x80\xD0\xBE\xD0\xBB\xD1\x8F\xD1\x85", SectionKind::kCast, Treatment::kRanked},  // в ролях
    {"\xD0\x92 \xD1\x80\xD0\xBE\xD0\xBB\xD1\x8F\xD1\x85", SectionKind::kCast, Treatment::kRanked},  // В ролях
    {"\xD0\xB0\xD0\xBA\xD1\x82\xD1\x91\xD1\x80\xD1\x8B", SectionKind::kCast, Treatment::kRanked},  // актёры
    {"\xD0\x90\xD0\xBA\xD1\x82\xD1\x91\xD1\x80\xD1\x8B", SectionKind::kCast, Treatment::kRanked},  // Актёры
    {"\xD1\x86\xD0\xB8\xD1\x82\xD0\xB0\xD1\x82\xD1\x8B", SectionKind::kQuote, Treatment::kRanked},  // цитаты
    {"\xD0\xA6\xD0\xB8\xD1\x82\xD0\xB0\xD1\x82\xD1\x8B", SectionKind::kQuote, Treatment::kRanked},  // Цитаты
    {"\xD0\xB8\xD0\xBD\xD1\x82\xD0\xB5\xD1\x80\xD0\xB5\xD1\x81\xD0\xBD\xD1\x8B\xD0\xB5 \xD1\x84\xD0\xB0\xD0\xBA\xD1\x82\xD1\x8B", SectionKind::kTrivia, Treatment::kRanked},  // интересные факты
    {"\xD0\x98\xD0\xBD\xD1\x82\xD0\xB5\xD1\x80\xD0\xB5\xD1\x81\xD0\xBD\xD1\x8B\xD0\xB5 \xD1\x84\xD0\xB0\xD0\xBA\xD1\x82\xD1\x8B", SectionKind::kTrivia, Treatment::kRanked},  // Интересные факты
    {"\xD0\xBA\xD0\xBE\xD0\xBC\xD0\xBC\xD0\xB5\xD0\xBD\xD1\x82\xD0\xB0\xD1\x80\xD0\xB8\xD0\xB8", SectionKind::kOther, Treatment::kDrop},  // комментарии
    {"\xD0\x9A\xD0\xBE\xD0\xBC\xD0\xBC\xD0\xB5\xD0\xBD\xD1\x82\xD0\xB0\xD1\x80\xD0\xB8\xD0\xB8", SectionKind::kOther, Treatment::kDrop},  // Комментарии
    {"\xD1\x81\xD0\xBC. \xD1\x82\xD0\xB0\xD0\xBA\xD0\xB6\xD0\xB5", SectionKind::kOther, Treatment::kDrop},  // см. также
    {"\xD0\xA1\xD0\xBC. \xD1\x82\xD0\xB0\xD0\xBA\xD0\xB6\xD0\xB5", SectionKind::kOther, Treatment::kDrop},  // См. также
    // Chinese
    {"\xE5\x89\xA7\xE6\x83\x85\xE7\xAE\x80\xE4\xBB\x8B", SectionKind::kSynopsis, Treatment::kRanked},  // 剧情简介
    {"\xE5\x8A\x87\xE6\x83\x85\xE7\xB0\xA1\xE4\xBB\x8B", SectionKind::kSynopsis, Treatment::kRanked},  // 劇情簡介
    {"\xE7\xAE\x80\xE4\xBB\x8B", SectionKind::kSynopsis, Treatment::kRanked},  // 简介
    {"\xE7\xB0\xA1\xE4\xBB\x8B", SectionKind::kSynopsis, Treatment::kRanked},  // 簡介
    {"\xE5\x89\xA7\xE6\x83\x85", SectionKind::kPlot, Treatment::kRanked},  // 剧情
    {"\xE5\x8A\x87\xE6\x83\x85", SectionKind::kPlot, Treatment::kRanked},  // 劇情
    {"\xE5\xBD\xB1\xE8\xAF\x84", SectionKind::kReview, Treatment::kRanked},  // 影评
    {"\xE5\xBD\xB1\xE8\xA9\x95", SectionKind::kReview, Treatment::kRanked},  // 影評
    {"\xE7\x9F\xAD\xE8\xAF\x84", SectionKind::kReview, Treatment::kRanked},  // 短评
    {"\xE6\xBC\x94\xE8\x81\x8C\xE5\x91\x98", SectionKind::kCast, Treatment::kRanked},  // 演职员
    {"\xE6\xBC\x94\xE5\x93\xA1\xE8\xA1\xA8", SectionKind::kCast, Treatment::kRanked},  // 演員表
    {"\xE6\xBC\x94\xE5\x91\x98\xE8\xA1\xA8", SectionKind::kCast, Treatment::kRanked},  // 演员表
    {"\xE5\x8F\xB0\xE8\xAF\x8D", SectionKind::kQuote, Treatment::kRanked},  // 台词
    {"\xE5\x8F\xB0\xE8\xA9\x9E", SectionKind::kQuote, Treatment::kRanked},  // 台詞
    {"\xE8\x8A\xB1\xE7\xB5\xAE", SectionKind::kTrivia, Treatment::kRanked},  // 花絮
    {"\xE7\x9B\xB8\xE5\x85\xB3\xE6\x8E\xA8\xE8\x8D\x90", SectionKind::kOther, Treatment::kDrop},  // 相关推荐
    {"\xE7\x9B\xB8\xE5\x85\xB3\xE6\x96\x87\xE7\xAB\xA0", SectionKind::kOther, Treatment::kDrop},  // 相关文章
    {"\xE7\x9B\xB8\xE9\x97\x9C\xE6\x96\x87\xE7\xAB\xA0", SectionKind::kOther, Treatment::kDrop},  // 相關文章
    {"\xE7\x8C\x9C\xE4\xBD\xA0\xE5\x96\x9C\xE6\xAC\xA2", SectionKind::kOther, Treatment::kDrop},  // 猜你喜欢
    // Japanese
    {"\xE3\x81\x82\xE3\x82\x89\xE3\x81\x99\xE3\x81\x98", SectionKind::kSynopsis, Treatment::kRanked},  // あらすじ
    {"\xE3\x82\xB9\xE3\x83\x88\xE3\x83\xBC\xE3\x83\xAA\xE3\x83\xBC", SectionKind::kPlot, Treatment::kRanked},  // ストーリー
    {"\xE3\x83\xAC\xE3\x83\x93\xE3\x83\xA5\xE3\x83\xBC", SectionKind::kReview, Treatment::kRanked},  // レビュー
    {"\xE3\x82\xAD\xE3\x83\xA3\xE3\x82\xB9\xE3\x83\x88", SectionKind::kCast, Treatment::kRanked},  // キャスト
    {"\xE5\x90\x8D\xE5\x8F\xB0\xE8\xA9\x9E", SectionKind::kQuote, Treatment::kRanked},  // 名台詞
    {"\xE5\x90\x8D\xE8\xA8\x80", SectionKind::kQuote, Treatment::kRanked},  // 名言
    {"\xE3\x83\x88\xE3\x83\xAA\xE3\x83\x93\xE3\x82\xA2", SectionKind::kTrivia, Treatment::kRanked},  // トリビア
    {"\xE8\xB1\x86\xE7\x9F\xA5\xE8\xAD\x98", SectionKind::kTrivia, Treatment::kRanked},  // 豆知識
    {"\xE9\x96\xA2\xE9\x80\xA3\xE8\xA8\x98\xE4\xBA\x8B", SectionKind::kOther, Treatment::kDrop},  // 関連記事
    {"\xE9\x96\xA2\xE9\x80\xA3\xE3\x83\x8B\xE3\x83\xA5\xE3\x83\xBC\xE3\x82\xB9", SectionKind::kOther, Treatment::kDrop},  // 関連ニュース
    {"\xE3\x82\xB3\xE3\x83\xA1\xE3\x83\xB3\xE3\x83\x88", SectionKind::kOther, Treatment::kDrop},  // コメント
    // Korean
    {"\xEC\xA4\x84\xEA\xB1\xB0\xEB\xA6\xAC", SectionKind::kSynopsis, Treatment::kRanked},  // 줄거리
    {"\xEB\xA6\xAC\xEB\xB7\xB0", SectionKind::kReview, Treatment::kRanked},  // 리뷰
    {"\xED\x8F\x89\xEB\xA1\xA0", SectionKind::kReview, Treatment::kRanked},  // 평론
    {"\xEC\xB6\x9C\xEC\x97\xB0\xEC\xA7\x84", SectionKind::kCast, Treatment::kRanked},  // 출연진
    {"\xEB\xAA\x85\xEB\x8C\x80\xEC\x82\xAC", SectionKind::kQuote, Treatment::kRanked},  // 명대사
    {"\xED\x8A\xB8\xEB\xA6\xAC\xEB\xB9\x84\xEC\x95\x84", SectionKind::kTrivia, Treatment::kRanked},  // 트리비아
    {"\xEA\xB4\x80\xEB\xA0\xA8 \xEA\xB8\xB0\xEC\x82\xAC", SectionKind::kOther, Treatment::kDrop},  // 관련 기사
    {"\xEA\xB4\x80\xEB\xA0\xA8\xEA\xB8\xB0\xEC\x82\xAC", SectionKind::kOther, Treatment::kDrop},  // 관련기사
    {"\xEB\x8C\x93\xEA\xB8\x80", SectionKind::kOther, Treatment::kDrop},  // 댓글
};

struct MetaRow {
  std::string_view key;
  MetaField field;
};

constexpr MetaRow kMetadataKeys[] = {
    {"director", MetaField::kDirectors},     {"directors", MetaField::kDirectors},
    {"directed by", MetaField::kDirectors},  {"genre", MetaField::kGenres},
    {"genres", MetaField::kGenres},          {"release year", MetaField::kYear},
    {"year", MetaField::kYear},              {"released", MetaField::kYear},
    {"release date", MetaField::kYear},      {"runtime", MetaField::kRuntime},
    {"running time", MetaField::kRuntime},   {"length", MetaField::kRuntime},
    {"duration", MetaField::kRuntime},       {"imdb rating", MetaField::kRating},
    {"rating", MetaField::kRating},          {"user rating", MetaField::kRating},
    {"audience rating", MetaField::kRating}, {"votes", MetaField::kVotes},
    {"imdb votes", MetaField::kVotes},       {"cast", MetaField::kCast},
    {"starring", MetaField::kCast},          {"stars", MetaField::kCast},
    {"rotten tomatoes", MetaField::kIgnored}, {"tomatometer", MetaField::kIgnored},
    {"metacritic", MetaField::kIgnored},     {"metascore", MetaField::kIgnored},
    {"imdb", MetaField::kIgnored},           {"imdb id", MetaField::kIgnored},
    // French, German, Spanish, Italian, Portuguese, Czech, Polish, Russian, Chinese, Japanese,
    // Korean. Keys are matched after ASCII lowering, so words with capitals outside ASCII are
    // listed as pages write them.
    {"r\xC3\xA9" "alisateur", MetaField::kDirectors}, {"r\xC3\xA9" "alisatrice", MetaField::kDirectors},
    {"r\xC3\xA9" "alisation", MetaField::kDirectors}, {"realisation", MetaField::kDirectors},
    {"mise en sc\xC3\xA8ne", MetaField::kDirectors}, {"regie", MetaField::kDirectors},
    {"regisseur", MetaField::kDirectors},    {"regisseurin", MetaField::kDirectors},
    {"direcci\xC3\xB3n", MetaField::kDirectors}, {"dirigida por", MetaField::kDirectors},
    {"director/a", MetaField::kDirectors},   {"dire\xC3\xA7\xC3\xA3o", MetaField::kDirectors},
    {"realizador", MetaField::kDirectors},   {"regista", MetaField::kDirectors},
    {"regia", MetaField::kDirectors},        {"re\xC5\xBEie", MetaField::kDirectors},
    {"re\xC5\xBCyseria", MetaField::kDirectors},
    {"\xD1\x80\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD1\x91\xD1\x80", MetaField::kDirectors},  // режиссёр
    {"\xD1\x80\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD0\xB5\xD1\x80", MetaField::kDirectors},  // режиссер
    {"\xD0\xA0\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD1\x91\xD1\x80", MetaField::kDirectors},  // Режиссёр
    {"\xD0\xA0\xD0\xB5\xD0\xB6\xD0\xB8\xD1\x81\xD1\x81\xD0\xB5\xD1\x80", MetaField::kDirectors},  // Режиссер
    {"\xE5\xAF\xBC\xE6\xBC\x94", MetaField::kDirectors},  // 导演
    {"\xE5\xB0\x8E\xE6\xBC\x94", MetaField::kDirectors},  // 導演
    {"\xE7\x9B\xA3\xE7\x9D\xA3", MetaField::kDirectors},  // 監督
    {"\xEA\xB0\x90\xEB\x8F\x85", MetaField::kDirectors},  // 감독
    {"g\xC3\xA9nero", MetaField::kGenres},  {"g\xC3\xAAnero", MetaField::kGenres},
    {"genere", MetaField::kGenres},          {"\xC5\xBE\xC3\xA1nr", MetaField::kGenres},
    {"\xC5\xBD\xC3\xA1nr", MetaField::kGenres}, {"gatunek", MetaField::kGenres},
    {"\xD0\xB6\xD0\xB0\xD0\xBD\xD1\x80", MetaField::kGenres},  // жанр
    {"\xD0\x96\xD0\xB0\xD0\xBD\xD1\x80", MetaField::kGenres},  // Жанр
    {"\xE7\xB1\xBB\xE5\x9E\x8B", MetaField::kGenres},  // 类型
    {"\xE9\xA1\x9E\xE5\x9E\x8B", MetaField::kGenres},  // 類型
    {"\xE3\x82\xB8\xE3\x83\xA3\xE3\x83\xB3\xE3\x83\xAB", MetaField::kGenres},  // ジャンル
    {"\xEC\x9E\xA5\xEB\xA5\xB4", MetaField::kGenres},  // 장르
    {"ann\xC3\xA9" "e", MetaField::kYear},     {"jahr", MetaField::kYear},
    {"erscheinungsjahr", MetaField::kYear},  {"produktionsjahr", MetaField::kYear},
    {"a\xC3\xB1o", MetaField::kYear},       {"ano", MetaField::kYear},
    {"anno", MetaField::kYear},              {"rok", MetaField::kYear},
    {"rok produkcji", MetaField::kYear},     {"\xD0\xB3\xD0\xBE\xD0\xB4", MetaField::kYear},  // год
    {"\xD0\x93\xD0\xBE\xD0\xB4", MetaField::kYear},  // Год
    {"\xE5\xB9\xB4\xE4\xBB\xBD", MetaField::kYear},  // 年份
    {"\xE8\xA3\xBD\xE4\xBD\x9C\xE5\xB9\xB4", MetaField::kYear},  // 製作年
    {"\xEC\xA0\x9C\xEC\x9E\x91\xEC\x97\xB0\xEB\x8F\x84", MetaField::kYear},  // 제작연도
    {"dur\xC3\xA9" "e", MetaField::kRuntime},  {"laufzeit", MetaField::kRuntime},
    {"l\xC3\xA4nge", MetaField::kRuntime},  {"dauer", MetaField::kRuntime},
    {"duraci\xC3\xB3n", MetaField::kRuntime}, {"dura\xC3\xA7\xC3\xA3o", MetaField::kRuntime},
    {"durata", MetaField::kRuntime},         {"d\xC3\xA9lka", MetaField::kRuntime},
    {"st\xC3\xB3p\xC3\xA1\xC5\xBE", MetaField::kRuntime}, {"czas trwania", MetaField::kRuntime},
    {"\xD0\xB2\xD1\x80\xD0\xB5\xD0\xBC\xD1\x8F", MetaField::kRuntime},  // время
    {"\xD0\x92\xD1\x80\xD0\xB5\xD0\xBC\xD1\x8F", MetaField::kRuntime},  // Время
    {"\xE7\x89\x87\xE9\x95\xBF", MetaField::kRuntime},  // 片长
    {"\xE7\x89\x87\xE9\x95\xB7", MetaField::kRuntime},  // 片長
    {"\xE4\xB8\x8A\xE6\x98\xA0\xE6\x99\x82\xE9\x96\x93", MetaField::kRuntime},  // 上映時間
    {"\xEC\x83\x81\xEC\x98\x81\xEC\x8B\x9C\xEA\xB0\x84", MetaField::kRuntime},  // 상영시간
    {"avec", MetaField::kCast},              {"acteurs", MetaField::kCast},
    {"darsteller", MetaField::kCast},
    {"besetzung", MetaField::kCast},         {"reparto", MetaField::kCast},
    {"elenco", MetaField::kCast},            {"interpreti", MetaField::kCast},
    {"hraj\xC3\xAD", MetaField::kCast},     {"obsada", MetaField::kCast},
    {"\xD0\x92 \xD1\x80\xD0\xBE\xD0\xBB\xD1\x8F\xD1\x85", MetaField::kCast},  // В ролях
    {"\xD0\xB2 \xD1\x80\xD0\xBE\xD0\xBB\xD1\x8F\xD1\x85", MetaField::kCast},  // в ролях
    {"\xE4\xB8\xBB\xE6\xBC\x94", MetaField::kCast},  // 主演
    {"\xE6\xBC\x94\xE5\x91\x98", MetaField::kCast},  // 演员
    {"\xE5\x87\xBA\xE6\xBC\x94", MetaField::kCast},  // 出演
    {"\xE3\x82\xAD\xE3\x83\xA3\xE3\x82\xB9\xE3\x83\x88", MetaField::kCast},  // キャスト
    {"\xEC\xB6\x9C\xEC\x97\xB0", MetaField::kCast},  // 출연
};


}  // namespace


HeadingKind classify_heading(std::string_view heading) {
  std::string h = to_lower(heading);
  HeadingKind result;
  result.spoiler = is_spoiler_heading(heading);
  for (const auto& table : {std::span<const KeywordRow>(kHeadingKeywords),
                            std::span<const KeywordRow>(kHeadingKeywordsOtherLanguages)}) {
    for (const KeywordRow& row : table) {
      if (has_phrase(h, row.phrase)) {
        result.kind = row.kind;
        result.treatment = row.treatment;
        result.known = true;
        break;
      }
    }
    if (result.known) break;
  }
  if (result.spoiler && !result.known) {
    result.known = true;  // "Spoilers": its own section of kind other
  }
  return result;
}

// A short line that reads like a title: few words, no sentence punctuation, mostly capitalized
// words ("Introduction to Victoria and Julian", "Love and Career Conflict").
bool is_title_like(std::string_view t) {
  if (t.empty() || t.size() > 80) return false;
  std::vector<std::string_view> words = split_words(t);
  if (words.empty() || words.size() > 10) return false;
  char last = t.back();
  if (last == '.' || last == ',' || last == ';' || last == ':' || last == '"' || last == ')' ||
      last == '?' ||
      t.ends_with("\xE2\x80\x9D")) {
    return false;
  }
  if (t.find(". ") != std::string_view::npos || t.find(": ") != std::string_view::npos) {
    return false;
  }
  int long_words = 0;
  int capitalized = 0;
  for (std::string_view w : words) {
    std::size_t i = 0;
    // Skip opening quotes (ASCII or typographic) before the first letter.
    while (i < w.size() && !is_alnum(w[i]) && static_cast<unsigned char>(w[i]) < 0xC0) ++i;
    if (i < w.size() && static_cast<unsigned char>(w[i]) >= 0xE2 && i + 3 <= w.size() &&
        !is_alnum(w[i])) {
      i += 3;  // a typographic quote
    }
    if (w.size() - i > 3) {
      ++long_words;
      if (i < w.size() && (is_upper(w[i]) || static_cast<unsigned char>(w[i]) >= 0xC3)) {
        ++capitalized;
      }
    }
  }
  std::size_t first = 0;
  while (first < t.size() && !is_alnum(t[first]) && static_cast<unsigned char>(t[first]) < 0x80) {
    ++first;
  }
  bool starts_upper = first < t.size() && (is_upper(t[first]) || is_digit(t[first]) ||
                                           static_cast<unsigned char>(t[first]) >= 0x80);
  return starts_upper && long_words > 0 && capitalized * 2 >= long_words;
}

std::optional<MetaField> find_metadata_field(std::string_view key) {
  for (const MetaRow& row : kMetadataKeys) {
    if (row.key == key) return row.field;
  }
  return std::nullopt;
}

bool is_news_agency(std::string_view name) {
  // Lowercased names and abbreviations of the wire services most pages carry.
  static constexpr std::string_view kAgencies[] = {
      "associated press", "the associated press", "ap", "reuters", "thomson reuters", "afp",
      "agence france-presse", "agence france presse", "dpa", "deutsche presse-agentur", "apa",
      "ansa", "efe", "agencia efe", "xinhua", "kyodo", "kyodo news", "yonhap", "pa media",
      "press association", "upi", "united press international", "bloomberg", "tass",
      "interfax", "ctk", "\xC4\x8CTK", "sda", "belga", "anp", "agência brasil", "lusa"};
  const std::string lowered = to_lower(trim(name));
  for (std::string_view a : kAgencies) {
    if (lowered == a) return true;
  }
  return false;
}

}  // namespace filmsearch::corpus::page
