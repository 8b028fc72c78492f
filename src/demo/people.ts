/** Fake but well-formed personal data: Chinese names, mobile numbers, 居民身份证号 (GB 11643). */
import type { Rng } from "./random.js";

const SURNAMES = (
  "王王王李李李张张张刘刘陈陈杨杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
).split("");
const GIVEN = (
  "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华红琴云飞鑫波林宁雪欣佳亮凯健帅浩宇鹏婷辉玲俊峰斌文英兰梅建国志海燕庆东晓春秋立新永长忠成德福贵祥"
).split("");

export function personName(rng: Rng): string {
  const given = rng.chance(0.7) ? rng.pick(GIVEN) + rng.pick(GIVEN) : rng.pick(GIVEN);
  return rng.pick(SURNAMES) + given;
}

const MOBILE_PREFIXES = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177", "180", "181", "186", "187", "189"];

export const mobile = (rng: Rng) => rng.pick(MOBILE_PREFIXES) + rng.digits(8);

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = "10X98765432";

export function idCheckChar(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i];
  return ID_CHECK[sum % 11];
}

/** County codes of places many migrant workers come from (四川, 湖南, 湖北, 江西, 安徽, 广西, 贵州 …). */
const HOME_COUNTIES = ["510104", "511623", "430524", "431102", "420102", "421182", "360122", "340102", "341221", "450103", "520102", "610102", "620102", "370102", "130102"];

/** A person born between the given years; registered locally (`localCounty`) or in a migrant home county. */
export function idNumber(rng: Rng, localCounty: string, bornFrom: number, bornTo: number): string {
  const area = rng.chance(0.6) ? localCounty : rng.pick(HOME_COUNTIES);
  const y = rng.int(bornFrom, bornTo), m = rng.int(1, 12), d = rng.int(1, 28);
  const first17 = `${area}${y}${String(m).padStart(2, "0")}${String(d).padStart(2, "0")}${rng.digits(3)}`;
  return first17 + idCheckChar(first17);
}
