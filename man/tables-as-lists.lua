-- For the man pages: a table becomes a definition list. The key tables of docs/configuration.md
-- are wider than a terminal, and groff squeezed into 80 columns breaks and warns on every row
-- (lintian's groff-message). The first column is the term; each other cell follows as a
-- paragraph, named by its column header.
local stringify = pandoc.utils.stringify

local function cell_inlines(cell)
  return pandoc.utils.blocks_to_inlines(cell.contents)
end

function Table(tbl)
  local headers = {}
  for i, cell in ipairs(tbl.head.rows[1].cells) do
    headers[i] = stringify(cell.contents)
  end
  local items = {}
  for _, body in ipairs(tbl.bodies) do
    for _, row in ipairs(body.body) do
      local definition = {}
      for i = 2, #row.cells do
        local text = pandoc.List({ pandoc.Emph({ pandoc.Str(headers[i] .. ":") }), pandoc.Space() })
        text:extend(cell_inlines(row.cells[i]))
        table.insert(definition, pandoc.Para(text))
      end
      table.insert(items, { cell_inlines(row.cells[1]), { definition } })
    end
  end
  return pandoc.DefinitionList(items)
end
