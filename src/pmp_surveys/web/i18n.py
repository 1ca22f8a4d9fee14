"""Interface strings of the respondent pages in Latvian (primary), Russian, Ukrainian and English.

Question and option labels come from the instrument files and answer-validation messages from
`instruments.messages`; everything else a respondent reads is here. Every key has all four
languages (checked by the tests). Placeholders use `str.format` names.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final
from zoneinfo import ZoneInfo

from markupsafe import Markup, escape

from pmp_surveys.instruments.definition import LANGUAGES, PRIMARY_LANGUAGE, Lang

#: Each language's name in that language, for the language switcher.
LANGUAGE_NAMES: Final[dict[Lang, str]] = {"lv": "Latviešu", "ru": "Русский", "uk": "Українська", "en": "English"}

LANG_COOKIE: Final = "pmp_lang"

MESSAGES: Final[dict[str, dict[Lang, str]]] = {
    "site_name": {
        "lv": "Pašvaldības aptauja",
        "ru": "Опрос, который проводит самоуправление",
        "uk": "Опитування, яке проводить самоврядування",
        "en": "Municipal survey",
    },
    "language_nav": {"lv": "Valoda", "ru": "Язык", "uk": "Мова", "en": "Language"},
    "skip_link": {
        "lv": "Pāriet uz saturu",
        "ru": "Перейти к содержанию",
        "uk": "Перейти до змісту",
        "en": "Skip to content",
    },
    "required_note": {
        "lv": "Ar zvaigznīti (*) atzīmētie jautājumi ir obligāti.",
        "ru": "Вопросы, отмеченные звёздочкой (*), обязательны.",
        "uk": "Запитання, позначені зірочкою (*), обов’язкові.",
        "en": "Questions marked with an asterisk (*) are required.",
    },
    "required": {"lv": "obligāts", "ru": "обязательно", "uk": "обов’язково", "en": "required"},
    "optional": {"lv": "neobligāts", "ru": "необязательно", "uk": "необов’язково", "en": "optional"},
    "question_of": {
        "lv": "{n}. jautājums no {total}",
        "ru": "Вопрос {n} из {total}",
        "uk": "Запитання {n} з {total}",
        "en": "Question {n} of {total}",
    },
    "question_n": {"lv": "{n}. jautājums", "ru": "Вопрос {n}", "uk": "Запитання {n}", "en": "Question {n}"},
    "condition": {
        "lv": "Atbildiet tikai tad, ja {n}. jautājumā izvēlējāties: {values}.",
        "ru": "Отвечайте, только если в вопросе {n} вы выбрали: {values}.",
        "uk": "Відповідайте, лише якщо в запитанні {n} ви вибрали: {values}.",
        "en": "Answer only if you chose {values} in question {n}.",
    },
    "choose_any": {
        "lv": "Varat atzīmēt vairākas atbildes.",
        "ru": "Можно отметить несколько вариантов.",
        "uk": "Можна позначити кілька варіантів.",
        "en": "You can tick more than one answer.",
    },
    "scale_hint": {
        "lv": "Izvēlieties vērtību no 1 līdz {points}.",
        "ru": "Выберите значение от 1 до {points}.",
        "uk": "Виберіть значення від 1 до {points}.",
        "en": "Choose a value from 1 to {points}.",
    },
    "max_length_hint": {
        "lv": "Ne vairāk kā {n} rakstzīmes.",
        "ru": "Не более {n} символов.",
        "uk": "Не більше ніж {n} символів.",
        "en": "At most {n} characters.",
    },
    "submit": {
        "lv": "Iesniegt atbildes",
        "ru": "Отправить ответы",
        "uk": "Надіслати відповіді",
        "en": "Submit answers",
    },
    "error_summary_title": {
        "lv": "Lūdzu, pārbaudiet atbildes",
        "ru": "Пожалуйста, проверьте ответы",
        "uk": "Будь ласка, перевірте відповіді",
        "en": "Please check your answers",
    },
    "error_summary_count": {
        "lv": "Jāizlabo atbildes uz šiem jautājumiem ({count}):",
        "ru": "Нужно исправить ответы на эти вопросы ({count}):",
        "uk": "Потрібно виправити відповіді на ці запитання ({count}):",
        "en": "Answers to these questions need attention ({count}):",
    },
    "error_prefix": {"lv": "Kļūda:", "ru": "Ошибка:", "uk": "Помилка:", "en": "Error:"},
    "title_error": {"lv": "Kļūda", "ru": "Ошибка", "uk": "Помилка", "en": "Error"},
    "privacy_title": {
        "lv": "Par jūsu datiem",
        "ru": "О ваших данных",
        "uk": "Про ваші дані",
        "en": "About your data",
    },
    "privacy_who": {
        "lv": "Aptauju veic {municipality}.",
        "ru": "Опрос проводит {municipality}.",
        "uk": "Опитування проводить {municipality}.",
        "en": "This survey is run by {municipality}.",
    },
    "privacy_why": {
        "lv": "Atbildes izmanto tikai, lai izvērtētu pašvaldības plānu priekšlaicīgas mācību pārtraukšanas (PMP) "
        "novēršanai.",
        "ru": "Ответы используются только для оценки плана самоуправления по предотвращению преждевременного "
        "прекращения учёбы (PMP — латышское сокращение от «priekšlaicīga mācību pārtraukšana»).",
        "uk": "Відповіді використовуються лише для оцінювання плану самоврядування щодо запобігання передчасному "
        "припиненню навчання (PMP — латиське скорочення від «priekšlaicīga mācību pārtraukšana»).",
        "en": "The answers are used only to evaluate the municipality's plan to prevent early school leaving "
        "(PMP, the Latvian abbreviation of “priekšlaicīga mācību pārtraukšana”).",
    },
    "privacy_anonymous": {
        "lv": "Aptauja ir anonīma: mēs nejautājam jūsu vārdu un nesaglabājam ne IP adresi, ne ierīces datus.",
        "ru": "Опрос анонимный: мы не спрашиваем ваше имя и не сохраняем ни IP-адрес, ни данные устройства.",
        "uk": "Опитування анонімне: ми не питаємо вашого імені й не зберігаємо ні IP-адреси, ні даних пристрою.",
        "en": "The survey is anonymous: we do not ask for your name and do not store your IP address or any "
        "device data.",
    },
    "privacy_withdraw": {
        "lv": "Tā kā atbildes nevar saistīt ar jums, pēc iesniegšanas tās nav iespējams atsaukt.",
        "ru": "Поскольку ответы нельзя связать с вами, после отправки их невозможно отозвать.",
        "uk": "Оскільки відповіді не можна пов’язати з вами, після надсилання їх неможливо відкликати.",
        "en": "Because the answers cannot be linked to you, they cannot be withdrawn after you submit them.",
    },
    "privacy_contact": {
        "lv": "Jautājumus uzdodiet pašvaldības izglītības pārvaldei.",
        "ru": "С вопросами обращайтесь в управление образования самоуправления.",
        "uk": "Із запитаннями звертайтеся до управління освіти самоврядування.",
        "en": "Please direct questions to the municipality's education department.",
    },
    "privacy_cookies": {
        "lv": "Lapa izmanto tikai nepieciešamās sīkdatnes: valodas izvēlei, drošai iesniegšanai un lai atpazītu, ka "
        "no šī pārlūka jau atbildēts.",
        "ru": "Страница использует только необходимые cookie: для выбора языка, безопасной отправки и чтобы "
        "узнать, что из этого браузера уже ответили.",
        "uk": "Сторінка використовує лише необхідні cookie: для вибору мови, безпечного надсилання й щоб "
        "знати, що з цього браузера вже відповіли.",
        "en": "This page uses only necessary cookies: for your language choice, safe submission and to "
        "recognise that this browser has already answered.",
    },
    "municipality_generic": {
        "lv": "jūsu pašvaldība",
        "ru": "ваше самоуправление",
        "uk": "ваше самоврядування",
        "en": "your municipality",
    },
    "thanks_title": {"lv": "Paldies!", "ru": "Спасибо!", "uk": "Дякуємо!", "en": "Thank you!"},
    "thanks_body": {
        "lv": "Jūsu atbildes ir saglabātas. Tagad varat aizvērt šo lapu.",
        "ru": "Ваши ответы сохранены. Теперь эту страницу можно закрыть.",
        "uk": "Ваші відповіді збережено. Тепер цю сторінку можна закрити.",
        "en": "Your answers have been saved. You can now close this page.",
    },
    "closed_title": {
        "lv": "Aptauja ir slēgta",
        "ru": "Опрос закрыт",
        "uk": "Опитування закрито",
        "en": "This survey is closed",
    },
    "closed_body": {
        "lv": "Šī aptauja vairs nepieņem atbildes. Paldies par interesi!",
        "ru": "Этот опрос больше не принимает ответы. Спасибо за интерес!",
        "uk": "Це опитування більше не приймає відповідей. Дякуємо за інтерес!",
        "en": "This survey no longer accepts answers. Thank you for your interest!",
    },
    "not_open_title": {
        "lv": "Aptauja vēl nav sākusies",
        "ru": "Опрос ещё не начался",
        "uk": "Опитування ще не почалося",
        "en": "This survey has not started yet",
    },
    "not_open_body": {
        "lv": "Šī aptauja vēl nepieņem atbildes.",
        "ru": "Этот опрос пока не принимает ответы.",
        "uk": "Це опитування поки що не приймає відповідей.",
        "en": "This survey does not accept answers yet.",
    },
    "opens_on": {
        "lv": "Aptauja sāksies {when}.",
        "ru": "Опрос начнётся {when}.",
        "uk": "Опитування почнеться {when}.",
        "en": "It opens on {when}.",
    },
    "not_found_title": {
        "lv": "Aptauja nav atrasta",
        "ru": "Опрос не найден",
        "uk": "Опитування не знайдено",
        "en": "Survey not found",
    },
    "not_found_body": {
        "lv": "Pārbaudiet saiti vai QR kodu. Ja to saņēmāt no pašvaldības vai skolas, lūdziet pareizo saiti.",
        "ru": "Проверьте ссылку или QR-код. Если вы получили её от самоуправления или школы, попросите верную ссылку.",
        "uk": "Перевірте посилання або QR-код. Якщо ви отримали його від самоврядування чи школи, попросіть "
        "правильне посилання.",
        "en": "Please check the link or QR code. If you got it from the municipality or a school, ask them for "
        "the correct link.",
    },
    "school_link_title": {
        "lv": "Izmantojiet savas skolas saiti",
        "ru": "Используйте ссылку вашей школы",
        "uk": "Скористайтеся посиланням вашої школи",
        "en": "Please use your school's link",
    },
    "school_link_body": {
        "lv": "Šo aptauju aizpilda, izmantojot saiti, ko saņēmāt no savas skolas.",
        "ru": "Этот опрос заполняется по ссылке, которую вы получили от своей школы.",
        "uk": "Це опитування заповнюють за посиланням, яке ви отримали від своєї школи.",
        "en": "This survey is answered through the link you received from your school.",
    },
    "rate_title": {
        "lv": "Pārāk daudz mēģinājumu",
        "ru": "Слишком много попыток",
        "uk": "Забагато спроб",
        "en": "Too many attempts",
    },
    "rate_body": {
        "lv": "No šī savienojuma nesen saņemts pārāk daudz iesniegumu, un jūsu atbildes vēl nav saglabātas. "
        "Pagaidiet minūti, atgriezieties pie savām atbildēm un iesniedziet tās vēlreiz.",
        "ru": "С этого подключения недавно пришло слишком много ответов, и ваши ответы ещё не сохранены. "
        "Подождите минуту, вернитесь к своим ответам и отправьте их ещё раз.",
        "uk": "З цього підключення нещодавно надійшло забагато відповідей, і ваші відповіді ще не збережено. "
        "Зачекайте хвилину, поверніться до своїх відповідей і надішліть їх ще раз.",
        "en": "Too many answers came from this connection recently, and yours are not saved yet. "
        "Wait a minute, go back to your answers and submit them again.",
    },
    "csrf_title": {
        "lv": "Lapa ir novecojusi",
        "ru": "Страница устарела",
        "uk": "Сторінка застаріла",
        "en": "This page has expired",
    },
    "csrf_body": {
        "lv": "Atbildes netika saglabātas. Atgriezieties pie savām atbildēm (sīkdatnēm jābūt atļautām) un "
        "iesniedziet tās vēlreiz.",
        "ru": "Ответы не сохранены. Вернитесь к своим ответам (cookie должны быть разрешены) и отправьте их ещё раз.",
        "uk": "Відповіді не збережено. Поверніться до своїх відповідей (cookie мають бути дозволені) і "
        "надішліть їх ще раз.",
        "en": "Your answers were not saved. Go back to your answers (cookies must be allowed) and submit "
        "them once more.",
    },
    "already_title": {
        "lv": "Atbildes jau saņemtas",
        "ru": "Ответы уже получены",
        "uk": "Відповіді вже отримано",
        "en": "Answers already received",
    },
    "already_body": {
        "lv": "Šīs anketas atbildes jau ir saglabātas, un tās vairs nevar mainīt. Paldies!",
        "ru": "Ответы из этой анкеты уже сохранены, и изменить их больше нельзя. Спасибо!",
        "uk": "Відповіді з цієї анкети вже збережено, і змінити їх більше не можна. Дякуємо!",
        "en": "The answers in this form have already been saved and can no longer be changed. Thank you!",
    },
    "bad_request_title": {
        "lv": "Pieprasījumu nevar apstrādāt",
        "ru": "Не удалось обработать запрос",
        "uk": "Не вдалося обробити запит",
        "en": "We could not process this request",
    },
    "bad_request_body": {
        "lv": "Nekas netika saglabāts. Lūdzu, atveriet aptauju vēlreiz.",
        "ru": "Ничего не сохранено. Пожалуйста, откройте опрос заново.",
        "uk": "Нічого не збережено. Будь ласка, відкрийте опитування знову.",
        "en": "Nothing was saved. Please open the survey again.",
    },
    "too_large_body": {
        "lv": "Atbildes ir pārāk garas. Lūdzu, saīsiniet tekstu un mēģiniet vēlreiz.",
        "ru": "Ответы слишком длинные. Пожалуйста, сократите текст и попробуйте снова.",
        "uk": "Відповіді задовгі. Будь ласка, скоротіть текст і спробуйте знову.",
        "en": "The answers are too long. Please shorten the text and try again.",
    },
    "server_error_title": {
        "lv": "Radās kļūda",
        "ru": "Произошла ошибка",
        "uk": "Сталася помилка",
        "en": "Something went wrong",
    },
    "server_error_body": {
        "lv": "Mūsu pusē radās kļūda, un nekas netika saglabāts. Jūsu atbildes nav zudušas: pēc brīža "
        "atgriezieties pie tām un iesniedziet vēlreiz.",
        "ru": "На нашей стороне произошла ошибка, ничего не сохранено. Ваши ответы не потеряны: немного "
        "подождите, вернитесь к ним и отправьте ещё раз.",
        "uk": "На нашому боці сталася помилка, нічого не збережено. Ваші відповіді не втрачено: трохи "
        "зачекайте, поверніться до них і надішліть ще раз.",
        "en": "Something went wrong on our side and nothing was saved. Your answers are not lost: wait a "
        "moment, go back to them and submit again.",
    },
    "back_to_survey": {
        "lv": "Atgriezties pie aptaujas",
        "ru": "Вернуться к опросу",
        "uk": "Повернутися до опитування",
        "en": "Back to the survey",
    },
    "code_title": {
        "lv": "Ievadiet piekļuves kodu",
        "ru": "Введите код доступа",
        "uk": "Введіть код доступу",
        "en": "Enter your access code",
    },
    "code_intro": {
        "lv": "Šai aptaujai vajag vienreizēju piekļuves kodu, ko saņēmāt no savas skolas.",
        "ru": "Для этого опроса нужен одноразовый код доступа, который вы получили в своей школе.",
        "uk": "Для цього опитування потрібен одноразовий код доступу, який ви отримали у своїй школі.",
        "en": "This survey needs the single-use access code you received from your school.",
    },
    "code_label": {"lv": "Piekļuves kods", "ru": "Код доступа", "uk": "Код доступу", "en": "Access code"},
    "code_hint": {
        "lv": "10 burti un cipari, piemēram, ABCD-EFGH-JK. Defises var neievadīt.",
        "ru": "10 букв и цифр, например ABCD-EFGH-JK. Дефисы можно не вводить.",
        "uk": "10 літер і цифр, наприклад ABCD-EFGH-JK. Дефіси можна не вводити.",
        "en": "10 letters and digits, for example ABCD-EFGH-JK. You can leave out the hyphens.",
    },
    "code_privacy": {
        "lv": "Kods netiek saistīts ar jūsu atbildēm: tiek atzīmēts tikai tas, ka kods ir izmantots.",
        "ru": "Код не связывается с вашими ответами: отмечается только то, что код использован.",
        "uk": "Код не пов’язується з вашими відповідями: позначається лише те, що код використано.",
        "en": "The code is not linked to your answers: we only record that the code has been used.",
    },
    "code_submit": {"lv": "Turpināt", "ru": "Продолжить", "uk": "Продовжити", "en": "Continue"},
    "code_wrong": {
        "lv": "Šāds kods šai aptaujai nav atrasts. Pārbaudiet, vai ievadījāt to pareizi.",
        "ru": "Такой код для этого опроса не найден. Проверьте, правильно ли вы его ввели.",
        "uk": "Такого коду для цього опитування не знайдено. Перевірте, чи правильно ви його ввели.",
        "en": "This code was not found for this survey. Please check that you typed it correctly.",
    },
    "code_used": {
        "lv": "Šis kods jau ir izmantots. Katru kodu var izmantot tikai vienu reizi.",
        "ru": "Этот код уже использован. Каждый код можно использовать только один раз.",
        "uk": "Цей код уже використано. Кожен код можна використати лише один раз.",
        "en": "This code has already been used. Each code can be used only once.",
    },
    "code_missing": {
        "lv": "Lūdzu, ievadiet piekļuves kodu.",
        "ru": "Пожалуйста, введите код доступа.",
        "uk": "Будь ласка, введіть код доступу.",
        "en": "Please enter your access code.",
    },
    "code_expired": {
        "lv": "Piekļuves koda derīgums šajā pārlūkā ir beidzies. Lūdzu, ievadiet kodu vēlreiz.",
        "ru": "Срок действия кода доступа в этом браузере истёк. Пожалуйста, введите код ещё раз.",
        "uk": "Термін дії коду доступу в цьому браузері минув. Будь ласка, введіть код ще раз.",
        "en": "Your access code has expired in this browser. Please enter the code again.",
    },
    "code_accepted": {
        "lv": "Kods pieņemts. Lūdzu, atbildiet uz jautājumiem.",
        "ru": "Код принят. Пожалуйста, ответьте на вопросы.",
        "uk": "Код прийнято. Будь ласка, дайте відповіді на запитання.",
        "en": "Code accepted. Please answer the questions.",
    },
    "demo_title": {"lv": "Demonstrācija.", "ru": "Демонстрация.", "uk": "Демонстрація.", "en": "Demonstration."},
    "demo_body": {
        "lv": "Šī ir parauga aptauja ar izdomātiem datiem; atbildes netiek izmantotas izvērtēšanā.",
        "ru": "Это пробный опрос с вымышленными данными; ответы не используются для оценки.",
        "uk": "Це пробне опитування з вигаданими даними; відповіді не використовуються для оцінювання.",
        "en": "This is a sample survey with made-up data; answers are not used in any evaluation.",
    },
    "school_line": {
        "lv": "Skola: {school}",
        "ru": "Школа: {school}",
        "uk": "Школа: {school}",
        "en": "School: {school}",
    },
    "answered_title": {
        "lv": "Jūs jau atbildējāt",
        "ru": "Вы уже ответили",
        "uk": "Ви вже відповіли",
        "en": "You have already answered",
    },
    "answered_body": {
        "lv": "No šī pārlūka atbildes uz šo aptauju jau ir saglabātas. Paldies!",
        "ru": "Ответы на этот опрос из этого браузера уже сохранены. Спасибо!",
        "uk": "Відповіді на це опитування з цього браузера вже збережено. Дякуємо!",
        "en": "Answers to this survey from this browser have already been saved. Thank you!",
    },
    "answer_again_note": {
        "lv": "Ja ar šo ierīci atbild vēl kāds cits cilvēks, viņš var aizpildīt aptauju no jauna.",
        "ru": "Если на этом устройстве отвечает другой человек, он может заполнить опрос заново.",
        "uk": "Якщо на цьому пристрої відповідає інша людина, вона може заповнити опитування заново.",
        "en": "If someone else is answering on this device, they can fill in the survey from the start.",
    },
    "answer_again": {
        "lv": "Atbildēt vēlreiz (cits cilvēks)",
        "ru": "Ответить ещё раз (другой человек)",
        "uk": "Відповісти ще раз (інша людина)",
        "en": "Answer again (someone else)",
    },
    "back_to_answers": {
        "lv": "Atgriezties pie savām atbildēm",
        "ru": "Вернуться к своим ответам",
        "uk": "Повернутися до своїх відповідей",
        "en": "Back to my answers",
    },
    "typed_texts_title": {
        "lv": "Jūsu ierakstītais teksts",
        "ru": "Текст, который вы ввели",
        "uk": "Текст, який ви ввели",
        "en": "The text you typed",
    },
    "typed_texts_body": {
        "lv": "Atbildes netika saglabātas. Ja vēlaties, nokopējiet savu tekstu un nosūtiet to pašvaldībai.",
        "ru": "Ответы не сохранены. При желании скопируйте свой текст и отправьте его самоуправлению.",
        "uk": "Відповіді не збережено. За бажання скопіюйте свій текст і надішліть його самоврядуванню.",
        "en": "Your answers were not saved. If you wish, copy your text and send it to the municipality.",
    },
    "code_carried": {
        "lv": "Jūsu atbildes nav zudušas: ievadiet kodu vēlreiz, un tās tiks saglabātas.",
        "ru": "Ваши ответы не потеряны: введите код ещё раз, и они будут сохранены.",
        "uk": "Ваші відповіді не втрачено: введіть код ще раз, і їх буде збережено.",
        "en": "Your answers are not lost: enter the code again and they will be saved.",
    },
    "honeypot_label": {
        "lv": "Neaizpildiet šo lauku",
        "ru": "Не заполняйте это поле",
        "uk": "Не заповнюйте це поле",
        "en": "Leave this field empty",
    },
}

_TZ = ZoneInfo("Europe/Riga")


def t(lang: str, key: str, /, **params: object) -> str:
    """The interface string `key` in `lang` (Latvian for an unsupported language)."""
    language: Lang = lang if lang in LANGUAGES else PRIMARY_LANGUAGE
    text = MESSAGES[key][language]
    return text.format(**params) if params else text


class Translator:
    """`t` bound to one language, for templates: `{{ t("submit") }}`."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang

    def __call__(self, key: str, /, **params: object) -> str:
        """The string; when a parameter is HTML (`Markup`), the result is HTML with the other
        parameters and the string itself escaped."""
        if any(isinstance(value, Markup) for value in params.values()):
            return escape(t(self.lang, key)).format(**params)
        return t(self.lang, key, **params)


def language_from_header(header: str | None) -> Lang | None:
    """The supported language the browser prefers most (RFC 9110 `Accept-Language`: ranges with
    optional `q` weights; `ru-RU` counts as `ru`), or None when it names none of lv, ru, uk, en."""
    if not header:
        return None
    best: tuple[float, int, Lang] | None = None
    for position, item in enumerate(header[:500].split(",")):
        tag, _, params = item.strip().partition(";")
        primary = tag.strip().split("-")[0].lower()
        if primary not in LANGUAGES:
            continue
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if weight <= 0:
            continue
        candidate = (-weight, position, primary)
        if best is None or candidate < best:
            best = candidate
    return best[2] if best else None


def pick_language(query: str | None, cookie: str | None) -> Lang:
    """The page language: an explicit `?lang=`, else the remembered choice, else Latvian."""
    for candidate in (query, cookie):
        if candidate in LANGUAGES:
            return candidate
    return PRIMARY_LANGUAGE


def format_when(moment: datetime, lang: Lang) -> str:
    """A date and time in Riga time, written the way each language writes it."""
    local = moment.astimezone(_TZ)
    if lang == "en":
        return local.strftime("%d %B %Y, %H:%M").lstrip("0")
    return local.strftime("%d.%m.%Y %H:%M")


def missing_translations(messages: Mapping[str, Mapping[Lang, str]] = MESSAGES) -> list[str]:
    """Keys lacking a non-empty string in some language (the tests keep this empty)."""
    return [f"{key}.{lang}" for key, texts in messages.items() for lang in LANGUAGES if not texts.get(lang)]
