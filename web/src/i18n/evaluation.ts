/** Translations of the evaluation area (owned by that area; keys nested by page). */
const zh = {
  menu: {} as Record<string, string>,
};
type Dict = typeof zh;

const en: Dict = {
  menu: {},
};

export default { zh, en };
