// Eleventy side of the benchmark: the same synthetic case as `explainer build`, read from
// yaml/ (the bench copies the case's YAML files there) by _data/c.js, which resolves every
// reference once (as the generator's context.py does); the templates paginate over it.
// Markdown is rendered with markdown-it (raw HTML off), each distinct text once.
import markdownIt from "markdown-it";

export default function (eleventyConfig) {
  const md = markdownIt({ html: false, typographer: true });
  const rendered = new Map();
  eleventyConfig.setLibrary("md", md);
  const markdown = (text) => {
    if (!text) return "";
    let html = rendered.get(text);
    if (html === undefined) {
      html = md.render(text);
      rendered.set(text, html);
    }
    return html;
  };
  eleventyConfig.addFilter("markdown", markdown);
  eleventyConfig.addFilter("plain", (text, limit = 200) => {
    const plain = markdown(text).replace(/<[^>]+>/g, "").split(/\s+/).join(" ").trim();
    return plain.length <= limit ? plain : plain.slice(0, limit - 1).replace(/ [^ ]*$/, "") + "…";
  });
  eleventyConfig.addFilter("jsonld", (data) =>
    JSON.stringify(data).replace(/</g, "\\u003c").replace(/>/g, "\\u003e").replace(/&/g, "\\u0026"),
  );
  eleventyConfig.addFilter("urlquery", (text) => encodeURIComponent(text));
  eleventyConfig.addGlobalData("root", "/explainers/");
  eleventyConfig.addGlobalData("base_url", "https://example.org/explainers/");
  eleventyConfig.ignores.add("yaml/**");
  // Not templates, but data: `--watch` rebuilds when they change.
  eleventyConfig.addWatchTarget("yaml/");
  eleventyConfig.ignores.add("node_modules/**");
  eleventyConfig.addPassthroughCopy({ static: "static" });
  return {
    dir: { input: ".", includes: "_includes", data: "_data" },
    templateFormats: ["njk"],
    htmlTemplateEngine: "njk",
  };
}
