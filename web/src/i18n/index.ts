/**
 * Console translations: zh-CN is the default (the users are Chinese city staff), English is a
 * switch in the header. One namespace per area so each area keeps its own dictionary file.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import admin from './admin';
import antifraud from './antifraud';
import cases from './cases';
import channels from './channels';
import command from './command';
import common from './common';
import covers from './covers';
import evaluation from './evaluation';
import publicArea from './public';
import work from './work';

export const LANGUAGES = ['zh', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
const STORAGE_KEY = 'cityloop.lang';

export const NAMESPACES = {
  common,
  cases,
  work,
  command,
  admin,
  evaluation,
  public: publicArea,
  channels,
  covers,
  antifraud,
};

function initialLanguage(): Language {
  const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return saved === 'en' ? 'en' : 'zh';
}

export function setLanguage(lang: Language) {
  localStorage.setItem(STORAGE_KEY, lang);
  document.documentElement.lang = lang === 'zh' ? 'zh-CN' : 'en';
  void i18n.changeLanguage(lang);
}

const resources = Object.fromEntries(
  LANGUAGES.map((lang) => [
    lang,
    Object.fromEntries(Object.entries(NAMESPACES).map(([ns, dict]) => [ns, dict[lang]])),
  ]),
);

void i18n.use(initReactI18next).init({
  resources,
  lng: initialLanguage(),
  fallbackLng: 'zh',
  defaultNS: 'common',
  ns: Object.keys(NAMESPACES),
  interpolation: { escapeValue: false },
  returnNull: false,
});

/** A server label ({zh, en}) in the current language. */
export function pick(label: { zh: string; en: string } | null | undefined, lang = i18n.language): string {
  if (!label) return '';
  return lang === 'en' ? label.en : label.zh;
}

export default i18n;
