// Re-records the outputs in notes_cases.json with the note cleaner the Zotero Web API uses
// (zotero/tinymce-clean-server: tinymce.html 4.5.2, default schema, root block "p",
// "simple" indentation). Usage, outside the repository:
//   npm install tinymce.html@4.5.2 && node record_note_cases.js path/to/notes_cases.json
// Add new inputs to "cases" (any "output") before running.
"use strict";
const fs = require("fs");
const tinymce = require("tinymce.html");

const blocks = "p,h1,h2,h3,h4,h5,h6,blockquote,div,title,style,pre,script,td,th,ul,ol,li,dl,dt,"
	+ "dd,area,table,thead,tfoot,tbody,tr,section,article,hgroup,aside,figure,figcaption,option,"
	+ "optgroup,datalist";

function clean(html) {
	const schema = new tinymce.html.Schema({});
	const parser = new tinymce.html.Parser({ forced_root_block: "p" }, schema);
	const writer = new tinymce.html.Serializer(
		{ indent: "simple", indent_before: blocks, indent_after: blocks }, schema);
	return writer.serialize(parser.parse(html));
}

const file = process.argv[2];
const recorded = JSON.parse(fs.readFileSync(file, "utf8"));
for (const list of [recorded.cases, recorded.not_emulated]) {
	for (const item of list) {
		item.output = clean(item.input);
	}
}
fs.writeFileSync(file, JSON.stringify(recorded, null, 1) + "\n");
