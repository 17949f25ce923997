/* byline site search: reads the static index in <site>/search/, fetching only the
 * files a query needs.  No framework, no build step, nothing from another host.
 *
 * The tokenizer and the ranking repeat src/byline/publish/_search_text.py and
 * _search_query.py step for step (tests hold both to the same fixtures);
 * docs/search.md describes the index files read here.
 */
(function (root) {
  'use strict';

  // -- tokenizer: the same five steps as _search_text.py ----------------------

  var TOKENIZER_VERSION = 1;
  var MIN_TERM_CHARS = 2;
  var MAX_TERM_CHARS = 40;
  var MIN_STEM_CHARS = 3;
  var PREFIX_KEY_CHARS = 3;
  var STOPWORDS = new Set(
    ('a an and are as at be been but by for from had has have he her his in into is it its ' +
     'of on or our she that the their them there these they this those to was we were which ' +
     'who will with would you').split(' '));
  var APOSTROPHES = /['\u2018\u2019\u02bc]/g;
  var MARKS = /\p{Mn}/gu;
  var TERM_RUN = /[\p{L}\p{N}]+/gu;
  var OPEN_END = /[\p{L}\p{N}]$/u;

  /** Characters, not UTF-16 units: Python counts code points. */
  function chars(text) { return Array.from(text); }

  /** Step 1: NFKD, lower case, no nonspacing marks, ß → ss, ς → σ. */
  function fold(text) {
    return text.normalize('NFKD').toLowerCase().replace(MARKS, '')
      .replace(/ß/g, 'ss').replace(/ς/g, 'σ');
  }

  /** Steps 1-3: folded words, apostrophes dropped, split on anything not a letter or digit. */
  function words(text) {
    return fold(text).replace(APOSTROPHES, '').match(TERM_RUN) || [];
  }

  /** Step 5: the S-stemmer (see stem() in _search_text.py). */
  function stem(word) {
    var size = chars(word).length;
    if (size <= MIN_STEM_CHARS || word.slice(-1) !== 's') return word;
    var before = function (n) { return chars(word).slice(-n, -n + 1)[0]; };
    if (word.endsWith('ies') && 'ae'.indexOf(before(4)) < 0 && size - 3 >= PREFIX_KEY_CHARS) {
      return word.slice(0, -3) + 'y';
    }
    if (word.endsWith('es') && 'aeo'.indexOf(before(3)) < 0) return word.slice(0, -1);
    if ('sui'.indexOf(before(2)) >= 0) return word;
    return word.slice(0, -1);
  }

  /** Steps 4-5 for one folded word: its term, or null when it is not indexed. */
  function termOf(word) {
    var size = chars(word).length;
    if (size < MIN_TERM_CHARS || size > MAX_TERM_CHARS || STOPWORDS.has(word)) return null;
    return stem(word);
  }

  function tokenize(text) {
    return words(text).map(termOf).filter(function (t) { return t !== null; });
  }

  // -- file placement and encodings: _search_files.py ---------------------------

  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
    return table;
  })();

  /** CRC-32 of the UTF-8 bytes, as Python's zlib.crc32. */
  function crc32(text) {
    var bytes = new TextEncoder().encode(text);
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
    return (crc ^ 0xffffffff) >>> 0;
  }

  var TERMINAL = '0123456789abcdefghijklmnopqrstuv';
  var CONTINUATION = 'wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_';
  var DIGITS = (function () {
    var table = new Int8Array(128).fill(-1);
    for (var i = 0; i < 32; i++) {
      table[TERMINAL.charCodeAt(i)] = i;
      table[CONTINUATION.charCodeAt(i)] = 32 + i;
    }
    return table;
  })();

  /** The ints pack() wrote: five bits a character, low groups first. */
  function unpack(text) {
    var out = [];
    var value = 0;
    var scale = 1;
    for (var i = 0; i < text.length; i++) {
      var digit = DIGITS[text.charCodeAt(i)];
      if (digit >= 32) {
        value += (digit - 32) * scale;
        scale *= 32;
      } else {
        out.push(value + digit * scale);
        value = 0;
        scale = 1;
      }
    }
    return out;
  }

  /** Sorted ids from a packed first id (less base) and gaps. */
  function decodeIds(text, base) {
    var ids = unpack(text);
    var sum = base || 0;
    for (var i = 0; i < ids.length; i++) {
      sum += ids[i];
      ids[i] = sum;
    }
    return ids;
  }

  /** A posting list's ids: two characters each (continuation, terminal), plus base. */
  function decodeLocalIds(text, base) {
    var ids = [];
    for (var i = 0; i + 1 < text.length; i += 2) {
      ids.push(base + (DIGITS[text.charCodeAt(i)] - 32) * 32 + DIGITS[text.charCodeAt(i + 1)]);
    }
    return ids;
  }

  /** A posting list's weights: one terminal character each. */
  function decodeTfs(text) {
    var tfs = [];
    for (var i = 0; i < text.length; i++) tfs.push(DIGITS[text.charCodeAt(i)]);
    return tfs;
  }

  function hex(number, width) {
    var text = number.toString(16);
    while (text.length < width) text = '0' + text;
    return text;
  }

  // -- answering a query: _search_query.py ------------------------------------

  var K1 = 1.2;
  var B = 0.75;
  var MIN_PREFIX_CHARS = 3;
  var MAX_PREFIX_TERMS = 8;
  var MAX_QUERY_WORDS = 12;
  var RESULTS_PER_PAGE = 10;

  /** Step 1: terms that must all match, and the last word if it is still being typed. */
  function parseQuery(text) {
    var found = words(text).slice(0, MAX_QUERY_WORDS);
    var prefix = null;
    var folded = fold(text).replace(APOSTROPHES, '');
    if (found.length && OPEN_END.test(folded)) {
      var last = found[found.length - 1];
      if (chars(last).length >= MIN_PREFIX_CHARS && !STOPWORDS.has(last)) {
        prefix = last;
        found = found.slice(0, -1);
      }
    }
    var terms = [];
    found.forEach(function (word) {
      var term = termOf(word);
      if (term !== null && terms.indexOf(term) < 0) terms.push(term);
    });
    return { terms: terms, prefix: prefix };
  }

  function bm25(tf, df, length, docs, average) {
    var idf = Math.log(1 + (docs - df + 0.5) / (df + 0.5));
    var norm = K1 * (1 - B + B * length / average);
    return idf * (tf * (K1 + 1)) / (tf + norm);
  }

  /** An index in a folder: fetches each file once, and counts what it fetched. */
  function Index(base, fetcher) {
    this.base = base;
    this.fetcher = fetcher || root.fetch.bind(root);
    this.files = new Map();
    this.bytes = 0;
  }

  Index.prototype.get = function (name) {
    var self = this;
    if (!this.files.has(name)) {
      var url = new URL(name, this.base).href;
      this.files.set(name, this.fetcher(url).then(function (response) {
        if (response.status === 404) return null;
        if (!response.ok) throw new Error('search index: ' + name + ': HTTP ' + response.status);
        return response.text().then(function (text) {
          self.bytes += new TextEncoder().encode(text).length;
          return JSON.parse(text);
        });
      }));
    }
    return this.files.get(name);
  };

  Index.prototype.meta = function () {
    return this.get('meta.json').then(function (meta) {
      if (!meta || meta.tokenizer !== TOKENIZER_VERSION) {
        throw new Error('search index missing or built by another byline version');
      }
      return meta;
    });
  };

  function dictName(meta, term) {
    return 'dict/' + hex(crc32(chars(term).slice(0, PREFIX_KEY_CHARS).join('')) % meta.dictFiles, 2) + '.json';
  }

  function postingName(meta, segment, term) {
    return 'post/' + segment + '/' + hex(crc32(term) % meta.postingFiles, 2) + '.json';
  }

  /** Step 2: each word's terms -> segments holding them; null when a word has none. */
  function groupTerms(index, meta, query) {
    var lookups = query.terms.map(function (term) {
      return index.get(dictName(meta, term)).then(function (content) {
        var entry = content && content[term];
        if (entry === undefined) return null;
        var group = new Map();
        group.set(term, decodeIds(entry));
        return group;
      });
    });
    if (query.prefix !== null) {
      var prefix = query.prefix;
      lookups.push(index.get(dictName(meta, prefix)).then(function (content) {
        content = content || {};
        var completions = Object.keys(content).filter(function (t) { return t.startsWith(prefix); })
          .map(function (t) { return [t, decodeIds(content[t])]; });
        completions.sort(function (a, b) {
          return b[1].length - a[1].length || chars(a[0]).length - chars(b[0]).length ||
            (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0);
        });
        var group = new Map(completions.slice(0, MAX_PREFIX_TERMS));
        var exact = termOf(prefix);
        if (exact !== null && Object.prototype.hasOwnProperty.call(content, exact)) {
          group.set(exact, decodeIds(content[exact]));
        }
        return group.size ? group : null;
      }));
    }
    return Promise.all(lookups).then(function (groups) {
      return groups.some(function (g) { return g === null; }) ? null : groups;
    });
  }

  /** Step 3: post id -> weighted frequency of one term, over the segments holding it. */
  function postings(index, meta, term, segments) {
    return Promise.all(segments.map(function (segment) {
      return index.get(postingName(meta, segment, term)).then(function (content) {
        var value = content && content[term];
        if (!value) return [];
        var ids = decodeLocalIds(value[0], segment * meta.segmentDocs);
        var tfs = decodeTfs(value[1]);
        return ids.map(function (id, i) { return [id, tfs[i]]; });
      });
    })).then(function (parts) {
      var found = new Map();
      parts.forEach(function (part) { part.forEach(function (p) { found.set(p[0], p[1]); }); });
      return found;
    });
  }

  /** Step 4: the posts under one facet value. */
  function facetIds(index, meta, kind, value) {
    var entry = (meta.facets[kind] || []).find(function (f) { return String(f[0]) === value; });
    if (!entry) return Promise.resolve(new Set());
    return index.get('facet/' + kind + '/' + entry[2] + '.json').then(function (packed) {
      return new Set(decodeIds(packed || ''));
    });
  }

  function lengths(index, meta, ids) {
    var size = meta.segmentDocs;
    var segments = Array.from(new Set(ids.map(function (id) { return Math.floor(id / size); })));
    return Promise.all(segments.map(function (segment) {
      return index.get('len/' + segment + '.json').then(function (codes) {
        return [segment, codes || ''];
      });
    })).then(function (pairs) {
      var bySegment = new Map(pairs);
      var found = new Map();
      ids.forEach(function (id) {
        var segment = Math.floor(id / size);
        var code = bySegment.get(segment).charAt(id - segment * size) || ' ';
        found.set(id, code === ' ' ? 0 : meta.lengths[meta.lengthCodes.indexOf(code)]);
      });
      return found;
    });
  }

  /**
   * Rank every post matching `text` (and `filters`: kind -> value).
   * Resolves to {query, ranked: [[id, score]...]}.
   */
  function rank(index, text, filters) {
    var query = parseQuery(text);
    var empty = { query: query, ranked: [] };
    if (!query.terms.length && query.prefix === null) return Promise.resolve(empty);
    return index.meta().then(function (meta) {
      return groupTerms(index, meta, query).then(function (groups) {
        if (groups === null) return empty;
        var fetches = groups.map(function (group) {
          return Promise.all(Array.from(group.entries()).map(function (entry) {
            return postings(index, meta, entry[0], entry[1]);
          }));
        });
        var kinds = Object.keys(filters || {}).filter(function (k) { return filters[k]; }).sort();
        var facets = Promise.all(kinds.map(function (k) { return facetIds(index, meta, k, filters[k]); }));
        return Promise.all([Promise.all(fetches), facets]).then(function (done) {
          var matched = done[0];
          var chosen = null;
          matched.forEach(function (groupPostings) {
            var ids = new Set();
            groupPostings.forEach(function (p) { p.forEach(function (_tf, id) { ids.add(id); }); });
            chosen = chosen === null ? ids : new Set(Array.from(chosen).filter(function (id) { return ids.has(id); }));
          });
          done[1].forEach(function (allowed) {
            chosen = new Set(Array.from(chosen).filter(function (id) { return allowed.has(id); }));
          });
          var ids = Array.from(chosen || []);
          return lengths(index, meta, ids).then(function (lengthOf) {
            var average = meta.length / Math.max(meta.docs, 1);
            var ranked = ids.map(function (id) {
              var score = 0;
              matched.forEach(function (groupPostings) {
                var best = -Infinity;
                groupPostings.forEach(function (p) {
                  if (p.has(id)) best = Math.max(best, bm25(p.get(id), p.size, lengthOf.get(id), meta.docs, average));
                });
                score += best;
              });
              return [id, score];
            });
            ranked.sort(function (a, b) { return b[1] - a[1] || a[0] - b[0]; });
            return { query: query, ranked: ranked };
          });
        });
      });
    });
  }

  /** Step 6: the metadata rows of some ranked posts, in order. */
  function records(index, ranked) {
    return index.meta().then(function (meta) {
      var chunks = Array.from(new Set(ranked.map(function (r) { return Math.floor(r[0] / meta.docChunk); })));
      return Promise.all(chunks.map(function (c) { return index.get('doc/' + c + '.json'); }));
    }).then(function (files) {
      var byId = new Map();
      files.forEach(function (rows) { (rows || []).forEach(function (row) { byId.set(row[0], row); }); });
      return ranked.filter(function (r) { return byId.has(r[0]); }).map(function (r) {
        var row = byId.get(r[0]);
        return {
          id: row[0], url: row[1], title: row[2], outlet: row[3], topics: row[4], year: row[5],
          date: row[6], excerpt: row[7], score: r[1]
        };
      });
    });
  }

  // -- the search page -------------------------------------------------------------

  var FILTER_KINDS = ['outlet', 'topic', 'year'];
  var DEBOUNCE_MS = 200;
  var WORD_IN_TEXT = /[\p{L}\p{N}\p{M}'\u2018\u2019\u02bc]+/gu;

  /** The excerpt as nodes, with the words the query matched in <mark>. */
  function highlighted(text, query) {
    var fragment = document.createDocumentFragment();
    var wanted = new Set(query.terms);
    var prefix = query.prefix;
    var prefixTerm = prefix === null ? null : termOf(prefix);
    var last = 0;
    var match;
    WORD_IN_TEXT.lastIndex = 0;
    while ((match = WORD_IN_TEXT.exec(text)) !== null) {
      var hit = words(match[0]).some(function (word) {
        var term = termOf(word);
        return (term !== null && (wanted.has(term) || term === prefixTerm)) ||
          (prefix !== null && word.startsWith(prefix));
      });
      if (!hit) continue;
      fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      var mark = document.createElement('mark');
      mark.textContent = match[0];
      fragment.appendChild(mark);
      last = match.index + match[0].length;
    }
    fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  /** "12 October 2023", as the site's own lists write dates (month named in the page's language). */
  function formatDate(iso, lang) {
    var parts = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso || '');
    if (!parts) return iso;
    try {
      var month = new Intl.DateTimeFormat(lang || undefined, { month: 'long', timeZone: 'UTC' })
        .format(new Date(Date.UTC(+parts[1], +parts[2] - 1, 1)));
      return (+parts[3]) + ' ' + month + ' ' + parts[1];
    } catch (e) {
      return iso;
    }
  }

  function resultItem(hit, query, lang) {
    var item = document.createElement('li');
    item.className = 'search-result';
    var article = document.createElement('article');
    var heading = document.createElement('h2');
    var link = document.createElement('a');
    link.href = hit.url;
    link.textContent = hit.title;
    heading.appendChild(link);
    article.appendChild(heading);
    if (hit.date || hit.outlet) {
      var facts = document.createElement('p');
      facts.className = 'post-facts';
      if (hit.date) {
        var time = document.createElement('time');
        time.dateTime = hit.date;
        time.textContent = formatDate(hit.date, lang);
        facts.appendChild(time);
      }
      if (hit.date && hit.outlet) facts.appendChild(document.createTextNode(' · '));
      if (hit.outlet) facts.appendChild(document.createTextNode(hit.outlet));
      article.appendChild(facts);
    }
    if (hit.excerpt) {
      var summary = document.createElement('p');
      summary.className = 'summary';
      summary.appendChild(highlighted(hit.excerpt, query));
      article.appendChild(summary);
    }
    item.appendChild(article);
    return item;
  }

  function plural(count, one, many) { return count + ' ' + (count === 1 ? one : many); }

  function SearchPage(form) {
    this.form = form;
    this.input = form.querySelector('input[name="q"]');
    this.status = document.getElementById('search-status');
    this.list = document.getElementById('search-results');
    this.more = document.getElementById('search-more');
    this.lang = document.documentElement.lang;
    this.selects = {};
    var self = this;
    FILTER_KINDS.forEach(function (kind) { self.selects[kind] = form.querySelector('select[name="' + kind + '"]'); });
    var script = document.querySelector('script[data-index]');
    var base = (script && script.getAttribute('data-index')) || './';
    this.index = new Index(new URL(base, document.baseURI).href);
    this.ranked = [];
    this.shown = 0;
    this.generation = 0;
    this.timer = null;
  }

  SearchPage.prototype.start = function () {
    var self = this;
    var params = new URLSearchParams(root.location.search);
    this.input.value = params.get('q') || '';
    this.index.meta().then(function (meta) {
      self.fillFilters(meta, params);
      self.run(false);
    }).catch(function (error) { self.fail(error); });
    this.form.addEventListener('submit', function (event) {
      event.preventDefault();
      self.run(true);
    });
    this.input.addEventListener('input', function () {
      clearTimeout(self.timer);
      self.timer = setTimeout(function () { self.run(false); }, DEBOUNCE_MS);
    });
    FILTER_KINDS.forEach(function (kind) {
      if (self.selects[kind]) self.selects[kind].addEventListener('change', function () { self.run(false); });
    });
    this.more.addEventListener('click', function () { self.showMore(true); });
  };

  SearchPage.prototype.fillFilters = function (meta, params) {
    var self = this;
    FILTER_KINDS.forEach(function (kind) {
      var select = self.selects[kind];
      if (!select) return;
      (meta.facets[kind] || []).forEach(function (facet) {
        var option = document.createElement('option');
        option.value = String(facet[0]);
        option.textContent = facet[0] + ' (' + facet[1] + ')';
        select.appendChild(option);
      });
      var wanted = params.get(kind);
      if (wanted && Array.from(select.options).some(function (o) { return o.value === wanted; })) {
        select.value = wanted;
      }
      select.disabled = !(meta.facets[kind] || []).length;
    });
  };

  SearchPage.prototype.filters = function () {
    var chosen = {};
    var self = this;
    FILTER_KINDS.forEach(function (kind) {
      var select = self.selects[kind];
      if (select && select.value) chosen[kind] = select.value;
    });
    return chosen;
  };

  SearchPage.prototype.remember = function (text, filters) {
    var params = new URLSearchParams();
    if (text) params.set('q', text);
    Object.keys(filters).forEach(function (kind) { params.set(kind, filters[kind]); });
    var query = params.toString();
    root.history.replaceState(null, '', query ? '?' + query : root.location.pathname);
  };

  SearchPage.prototype.run = function (submitted) {
    var self = this;
    var text = this.input.value;
    var filters = this.filters();
    var generation = ++this.generation;
    this.remember(text.trim(), filters);
    if (!parseQuery(text).terms.length && parseQuery(text).prefix === null) {
      this.list.replaceChildren();
      this.more.hidden = true;
      this.status.textContent = text.trim()
        ? 'Those words are too common or too short to search for.'
        : 'Type a word to search every post.';
      return;
    }
    if (submitted) this.status.textContent = 'Searching…';
    rank(this.index, text, filters).then(function (result) {
      if (generation !== self.generation) return null;  // a newer query is under way
      self.ranked = result.ranked;
      self.query = result.query;
      self.shown = 0;
      self.list.replaceChildren();
      var what = '“' + text.trim() + '”';
      var narrowed = Object.keys(filters).length ? ' with these filters' : '';
      self.status.textContent = result.ranked.length
        ? plural(result.ranked.length, 'post matches ', 'posts match ') + what + narrowed + '.'
        : 'No post matches ' + what + narrowed + '.';
      return self.showMore(false);
    }).catch(function (error) { if (generation === self.generation) self.fail(error); });
  };

  SearchPage.prototype.showMore = function (moveFocus) {
    var self = this;
    var page = this.ranked.slice(this.shown, this.shown + RESULTS_PER_PAGE);
    var generation = this.generation;
    return records(this.index, page).then(function (hits) {
      if (generation !== self.generation) return;
      var first = null;
      hits.forEach(function (hit) {
        var item = resultItem(hit, self.query, self.lang);
        first = first || item;
        self.list.appendChild(item);
      });
      self.shown += page.length;
      self.more.hidden = self.shown >= self.ranked.length;
      if (moveFocus && first) first.querySelector('a').focus();
    });
  };

  SearchPage.prototype.fail = function (error) {
    this.list.replaceChildren();
    this.more.hidden = true;
    this.status.textContent = 'Search is unavailable: ' + error.message + '.';
  };

  var api = {
    version: TOKENIZER_VERSION, fold: fold, words: words, stem: stem, termOf: termOf,
    tokenize: tokenize, parseQuery: parseQuery, crc32: crc32, unpack: unpack,
    decodeIds: decodeIds, decodeLocalIds: decodeLocalIds, bm25: bm25, Index: Index, rank: rank, records: records
  };
  root.BylineSearch = api;
  if (typeof module === 'object' && module.exports) module.exports = api;

  if (typeof document !== 'undefined') {
    var boot = function () {
      var form = document.getElementById('search-form');
      if (form) new SearchPage(form).start();
    };
    if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', boot);
    else boot();
  }
})(typeof window !== 'undefined' ? window : globalThis);
