"""Literature notes: Markdown (Obsidian, Logseq, Dataview, Foam, Zettlr, Roam) and Org
(org-roam, org-ref)."""
